from sitegen.convert.detect import detect_script
from sitegen.convert.localize import convert_texts, convert_tokens
from sitegen.convert.opencc import Converters
from sitegen.render.markdown import new_parser, parse, render

CONVERTERS = Converters()


def to_hant(body: str) -> str:
    md = new_parser()
    return render(md, convert_tokens(parse(md, body), CONVERTERS.get("s2tw")), lambda path: path)


def test_text_is_converted_but_urls_code_and_targets_are_not():
    html = to_hant("发布[头发](https://example.com/发布?q=头发 \"后天发布\") `头发` ![头发图](/图/头发.png)\n\n"
                   "```\n后天\n```\n")
    assert "<p>發佈" in html
    assert '<a href="https://example.com/%E5%8F%91%E5%B8%83?q=%E5%A4%B4%E5%8F%91" title="後天發佈">頭髮</a>' in html
    assert "<code>头发</code>" in html
    assert 'alt="頭髮圖"' in html and 'src="/%E5%9B%BE/%E5%A4%B4%E5%8F%91.png"' in html
    assert "<pre><code>后天\n</code></pre>" in html


def test_full_width_punctuation_survives():
    assert to_hant("“台湾”，你好：（测试）！") == "<p>“臺灣”，你好：（測試）！</p>\n"


def test_words_never_join_across_separate_texts():
    s2tw = CONVERTERS.get("s2tw")
    assert s2tw("头发") == "頭髮" and s2tw("发") == "發"
    assert convert_texts(["头", "发"], s2tw) == ["頭", "發"]
    assert convert_texts([], CONVERTERS.get("s2tw")) == []


def test_a_text_holding_the_separator_is_still_converted():
    assert convert_texts(["头\ue000发", "后天"], CONVERTERS.get("s2tw")) == ["頭\ue000發", "後天"]


def test_detect_script():
    assert detect_script("朝俄加強軍事關係 中共態度曖昧含糊", CONVERTERS) == "zh-Hant"
    assert detect_script("朝俄加强军事关系 中共态度暧昧含糊", CONVERTERS) == "zh-Hans"
    assert detect_script("中文 ABC 123", CONVERTERS, default="zh-Hant") == "zh-Hant"
    assert detect_script("中文 ABC 123", CONVERTERS, default="zh-Hans") == "zh-Hans"
