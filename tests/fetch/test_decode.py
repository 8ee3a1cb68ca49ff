"""Chinese encodings come through intact, whatever the feed claims."""

import pytest

from sitegen.fetch.decode import as_utf8_xml, decode_feed

TEXT = "朱镕基、王喆与𠮷野家：€5。"  # 镕喆 are GBK-only, 𠮷 needs GB18030, € is not in GB2312


def xml(encoding: str, body: str = TEXT) -> bytes:
    return f'<?xml version="1.0" encoding="{encoding}"?><rss><title>{body}</title></rss>'.encode(
        {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs"}.get(encoding.lower(), encoding))


@pytest.mark.parametrize("declared", ["gb2312", "GB2312", "gbk"])
def test_gb2312_declared_gb18030_bytes(declared):
    decoded = decode_feed(xml(declared))
    assert TEXT in decoded.text and decoded.encoding == "gb18030"


def test_big5_declared_hkscs_bytes():
    decoded = decode_feed(xml("big5", "佢哋講嘅嘢咗啦，台灣。"))
    assert "佢哋講嘅嘢咗啦，台灣。" in decoded.text


def test_http_charset_wins_over_the_xml_declaration():
    data = xml("utf-8", "新聞").replace(b"utf-8", b"iso-8859-1")
    assert "新聞" in decode_feed(data, "text/xml; charset=utf-8").text


def test_declared_utf8_holding_gbk_is_detected():
    data = '<?xml version="1.0" encoding="utf-8"?><rss><title>中华人民共和国国务院新闻办公室今天举行发布会</title></rss>'.encode("gbk")
    decoded = decode_feed(data)
    assert "国务院新闻办公室" in decoded.text and "\ufffd" not in decoded.text
    assert "not valid utf-8" in decoded.note


def test_undeclared_big5_is_detected():
    data = "<rss><title>中央氣象署發布颱風警報，花蓮台東停班停課，民眾注意安全</title></rss>".encode("big5")
    decoded = decode_feed(data)
    assert "颱風警報" in decoded.text and decoded.note == "no encoding declared; read as big5hkscs"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-be", "utf-32-le"])
def test_wide_encodings_without_bom(codec):
    data = f'<?xml version="1.0" encoding="{codec[:6]}"?><rss>頭髮</rss>'.encode(codec)
    assert "<rss>頭髮</rss>" in decode_feed(data).text


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_marks(codec):
    assert decode_feed("<rss>新聞</rss>".encode(codec)).text == "<rss>新聞</rss>"


def test_a_sequence_cut_off_at_the_end_is_dropped_not_mangled():
    data = "<rss><title>新聞標題".encode("utf-8")[:-1]
    decoded = decode_feed(data)
    assert decoded.text == "<rss><title>新聞標" and decoded.encoding == "utf-8"


def test_as_utf8_xml_rewrites_the_declaration():
    assert as_utf8_xml('<?xml version="1.0" encoding="big5"?><rss/>') == b'<?xml version="1.0" encoding="utf-8"?><rss/>'
    assert as_utf8_xml("<rss>新</rss>") == "<rss>新</rss>".encode()


@pytest.mark.parametrize("before", ["\n\n", "\r\n \t", "\ufeff", "\ufeff\n", "\n\ufeff", "\ufeff\ufeff "])
def test_what_comes_before_the_xml_declaration_is_dropped(before):
    assert as_utf8_xml(before + '<?xml version="1.0" encoding="gbk"?><rss/>') == (
        b'<?xml version="1.0" encoding="utf-8"?><rss/>')


def test_a_gbk_feed_after_blank_lines_is_read_by_its_declaration():
    decoded = decode_feed(b"\n\n" + xml("gbk"))
    assert TEXT in decoded.text and decoded.encoding == "gb18030" and decoded.note == ""
