"""Make a deterministic, realistic sitegen site for benchmarks.

    .venv/bin/python bench/make_corpus.py OUT_DIR --articles N [--seed 1] [--force]

OUT_DIR becomes a complete site: `sitegen.toml` (6 sources, default variants),
`content/<source>/<id>.md` for N articles and a few small SVG images in
`static/images/bench/` that the articles share. About half the articles are
written in Simplified (`lang: zh-Hans`), half in Traditional (`lang: zh-Hant`):
news-like sentences built from a pool of real news phrases, written here in
Simplified and converted once, at start, with OpenCC `s2tw` (plus the forms
Taiwan media print: 台灣, 發布, 了解 …, and 「」 quotes). Each article has about
1,300 Chinese characters (~4 KB) in 6-10 paragraphs; some have a `##`
subheading, a list, a link, a figure image or a block quote.

The same N and seed always give byte-identical files: every article draws from
its own `random.Random` seeded with (seed, index), so article i is the same
whatever N is, and nothing depends on the clock or the file system.

An existing OUT_DIR must be empty, or (with --force) a site this script made,
whose `content/` and `static/images/bench/` are then replaced.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import opencc

SITE_TITLE = "基準測試新聞"
BASE_URL = "https://bench.example.org/"
EPOCH = datetime(2022, 1, 1, tzinfo=timezone(timedelta(hours=8)))
SPAN_MINUTES = (365 * 3 + 1) * 24 * 60  # 2022-01-01 .. 2024-12-31, +08:00

# ---------------------------------------------------------------------------
# Phrase pools, all in Simplified; converted to Traditional once at start.
# Placeholders: {n} a count, {pct} a percentage, {big} an amount (in 亿).
# ---------------------------------------------------------------------------

# (id, name, category (index into CATEGORIES), script, license)
SOURCES = [
    ("src1", "环球通讯社", 0, "zh-Hans", "转载请注明出处并保持完整。"),
    ("src2", "华夏财经日报", 2, "zh-Hans", "© 华夏财经日报 版权所有，未经授权不得转载。"),
    ("src3", "东方广播电台", 3, "zh-Hant", "本台新闻欢迎转载，请注明来源及作者。"),
    ("src4", "宝岛新闻网", 11, "zh-Hant", "本网站内容依创用CC姓名标示4.0授权发布。"),
    ("src5", "亚太科技周刊", 4, "auto", "内容可自由转载，请注明出处及原文链接。"),
    ("src6", "南洋晨报", 5, "auto", "© 南洋晨报，转载须经书面许可。"),
]

# (name, URL slug, title topics, tags)
CATEGORIES = [
    ("国际", "world",
     ["多国领导人出席气候峰会", "联合国大会通过新决议", "中东局势再度升温", "欧盟宣布新一轮制裁",
      "两国外长举行会谈", "总统大选进入倒计时"],
     ["联合国", "欧盟", "北约", "中东", "外交", "制裁", "峰会", "选举", "美国", "俄罗斯", "日本",
      "韩国", "东南亚", "非洲"]),
    ("政治", "politics",
     ["立法会通过年度预算案", "执政党公布改革方案", "反对党发起不信任动议", "地方选举投票率创新低",
      "新任内阁宣誓就职", "议会辩论养老金改革"],
     ["立法", "预算", "政党", "选举制度", "内阁", "议会", "地方政府", "养老金", "宪法", "民意调查",
      "政府改组", "廉政", "司法改革", "公务员"]),
    ("财经", "business",
     ["央行宣布下调基准利率", "股市连续三日上涨", "通胀数据高于预期", "房地产市场持续降温",
      "出口增速明显放缓", "科技巨头公布季度财报"],
     ["央行", "利率", "股市", "通胀", "房地产", "出口", "汇率", "财报", "就业", "消费", "债券",
      "银行", "贸易", "投资"]),
    ("社会", "society",
     ["台风逼近东南沿海", "城市地铁发生故障", "多地遭遇强降雨", "食品安全事件引发关注",
      "春运客流创新高", "养老院人手短缺问题凸显"],
     ["台风", "天气", "交通", "暴雨", "食品安全", "春运", "养老", "治安", "住房", "人口",
      "志愿者", "社区", "消费者权益", "劳工"]),
    ("科技", "tech",
     ["新一代人工智能模型发布", "运载火箭成功发射卫星", "芯片产业获政府补贴", "电动汽车销量再创新高",
      "数据泄露事件波及百万用户", "研究团队研发新型电池"],
     ["人工智能", "芯片", "航天", "卫星", "电动汽车", "电池", "网络安全", "数据隐私", "半导体",
      "机器人", "智能手机", "互联网", "5G", "量子计算"]),
    ("文化", "culture",
     ["国际电影节揭晓获奖名单", "百年古建筑完成修复", "博物馆推出特别展览", "传统节庆吸引大批游客",
      "知名作家新书引发热议", "音乐节因天气取消"],
     ["电影", "博物馆", "文化遗产", "文学", "音乐", "艺术", "节庆", "旅游", "出版", "戏剧", "书展",
      "考古", "非物质文化遗产", "设计"]),
    ("体育", "sports",
     ["国家队晋级世界杯决赛圈", "马拉松赛事吸引数万人参加", "奥运代表团名单公布", "网球名将宣布退役",
      "联赛冠军提前产生", "游泳选手打破亚洲纪录"],
     ["足球", "篮球", "网球", "马拉松", "奥运会", "世界杯", "游泳", "羽毛球", "乒乓球", "田径",
      "电竞", "棒球", "运动员", "体育产业"]),
    ("健康", "health",
     ["流感病例持续增加", "抗癌新药获批上市", "医院急诊室人满为患", "研究发现运动有助延缓衰老",
      "卫生部门推出免费筛查", "疫苗接种计划扩大"],
     ["流感", "疫苗", "医疗", "医院", "新药", "公共卫生", "心理健康", "癌症", "老龄化", "营养",
      "传染病", "医保", "中医", "健康保险"]),
    ("环境", "environment",
     ["空气污染指数再度超标", "多国承诺减少碳排放", "珊瑚礁白化现象加剧", "城市推行垃圾分类新规",
      "热浪席卷欧洲多国", "濒危物种数量回升"],
     ["气候变化", "碳排放", "空气污染", "垃圾分类", "可再生能源", "热浪", "生物多样性", "海洋",
      "森林", "水资源", "濒危物种", "干旱", "塑料污染", "绿色能源"]),
    ("教育", "education",
     ["高考报名人数创新高", "大学学费上调引发不满", "教育部门推出减负措施", "留学生人数明显回升",
      "偏远地区学校缺乏教师", "职业教育改革方案出台"],
     ["高考", "大学", "学费", "留学", "中小学", "教师", "职业教育", "在线教育", "学前教育",
      "奖学金", "校园安全", "课程改革", "毕业生", "学术研究"]),
    ("军事", "military",
     ["联合军演在附近海域举行", "国防预算连续第五年增长", "新型战机首次公开亮相", "海军舰艇完成远洋训练",
      "军方宣布扩大征兵规模", "边境地区局势趋于紧张"],
     ["军演", "国防", "国防预算", "战机", "海军", "征兵", "导弹", "军售", "边境", "安全", "无人机",
      "核武器", "军事演习", "维和"]),
    ("两岸", "cross-strait",
     ["两岸航线恢复增班", "台商投资出现新变化", "陆委会回应最新政策", "两岸学者举行交流论坛",
      "金门小三通客流回升", "两岸农产品贸易受关注"],
     ["两岸关系", "台湾", "陆委会", "台商", "金门", "小三通", "海峡", "交流", "航线", "统战",
      "两岸经贸", "台海", "离岛", "观光"]),
]

POOLS: dict[str, list[str]] = {
    "places": [
        "北京", "上海", "广州", "深圳", "香港", "台北", "高雄", "东京", "首尔", "新加坡", "华盛顿",
        "纽约", "伦敦", "柏林", "巴黎", "布鲁塞尔", "日内瓦", "曼谷", "雅加达", "河内", "吉隆坡",
        "马尼拉", "新德里", "莫斯科", "基辅", "开罗", "内罗毕", "圣保罗", "渥太华", "墨尔本",
    ],
    "times": [
        "周一", "周二", "周三", "周四", "周五", "周末", "本周早些时候", "当地时间周二上午",
        "当地时间周四晚间", "昨天下午", "今天上午", "近日", "日前", "上个月底", "本月初",
        "今年上半年", "去年年底", "过去一周", "过去三个月", "同一天",
    ],
    "actors": [
        "外交部发言人", "国家统计局", "中央银行", "财政部", "卫生部门", "气象部门", "教育部门",
        "交通部门", "市政府", "立法机构", "反对党议员", "执政党发言人", "联合国官员", "世界卫生组织",
        "国际货币基金组织", "多家科技公司", "当地警方", "消防部门", "研究团队", "经济学家",
        "分析人士", "一名政府官员", "工会代表", "消费者团体", "环保组织", "大学教授", "企业负责人",
        "行业协会", "证券交易所", "监管机构", "选举委员会", "主办方", "救援人员", "医院院方",
        "地方法院", "国防部", "海关部门", "旅游局", "农业部门", "能源公司",
    ],
    "predicates": [
        "发布了最新一季的经济数据", "宣布将在未来三年内加大基础设施投资", "召开记者会回应外界关切",
        "表示将密切关注事态的后续发展", "呼吁各方保持克制，通过对话解决分歧", "公布了新的调查结果",
        "警告相关风险可能进一步上升", "证实已有{n}人受到影响", "表示目前情况总体可控",
        "承认部分地区的工作仍存在不足", "提出了一项涉及税收和补贴的改革方案", "批评相关措施缺乏透明度",
        "指出市场需求仍然疲软", "计划在年底前完成首阶段工程", "与多国代表举行了闭门会谈",
        "签署了一份为期五年的合作协议", "宣布启动紧急应变机制", "正在对事件原因展开调查",
        "表示暂时不会调整现行政策", "预计全年经济增长率约为{pct}", "下调了今年的增长预期",
        "将基准利率维持在{pct}不变", "强调保障民生是当前的首要任务", "表示愿意就此事与各方进一步沟通",
        "向受灾民众发放了紧急物资", "要求相关企业在限期内完成整改", "对这一结果表示欢迎",
        "对有关报道表示强烈不满", "拒绝就具体细节发表评论", "透露谈判已经取得阶段性进展",
        "推出了一系列促进消费的措施", "宣布投入约{big}亿元专项资金", "表示相关法案将在下一个会期提交审议",
        "在社交媒体上发文回应争议", "举行了纪念活动，数千名民众参加", "发表了一份长达数十页的报告",
        "公开征求社会各界的意见", "表示新规将从下个月起正式实施", "呼吁民众减少不必要的外出",
        "加强了对重点区域的巡查", "宣布暂停部分航班和列车服务", "开始对进口商品实施新的检验标准",
        "表示相关数据有待进一步核实", "成功完成了新一代设备的测试", "组织专家对项目进行评估",
        "宣布与一家海外企业达成收购协议", "承诺将在明年提高最低工资标准", "表示将扩大对中小企业的融资支持",
        "向议会提交了新的预算草案", "就选举安排发表声明", "宣布延长相关补贴政策的期限",
        "表示双方在多个议题上达成共识", "发布高温预警，提醒民众注意防暑", "表示疫苗接种率已超过{pct}",
        "宣布将削减约{n}个工作岗位", "公布了上一财年的业绩，营收同比增长{pct}", "表示将继续推进能源转型",
        "宣布成立专门小组跟进此事", "否认了外界有关人事变动的传闻", "表示将对受影响的家庭提供补偿",
    ],
    "clauses": [
        "引起社会各界广泛关注", "市场反应相对平淡", "具体细节尚未对外公布", "预计将在明年正式实施",
        "这是近十年来的首次", "涉及金额超过{big}亿元", "受影响人数约{n}万人", "比去年同期增长{pct}",
        "较上月下降{pct}", "舆论普遍认为这一决定来得太迟", "部分民众对此表示担忧", "有关部门已介入调查",
        "外界对此看法不一", "当地股市随即应声上涨", "消息传出后，相关股票一度大跌",
        "多名专家认为这一趋势短期内难以扭转", "事件仍在进一步发展中", "这一数字创下历史新高",
        "各方仍在观望后续政策", "不少商家已经开始调整经营策略", "网络上的讨论热度持续升温",
        "相关争议短期内恐难平息", "这也是双方今年第三次举行会谈", "有关方面尚未作出回应",
        "官方表示将适时公布更多信息", "当地居民的日常生活受到不小影响", "业界普遍预期这一政策将带动投资",
        "但实际效果仍有待观察", "显示经济复苏的步伐有所放缓", "这一做法在国际上并不少见",
    ],
    "connectors": [
        "与此同时", "此外", "不过", "另一方面", "据了解", "据当地媒体报道", "对此", "分析认为",
        "值得注意的是", "业内人士指出", "另外", "根据官方数据", "有评论认为", "事实上", "报道还说",
        "消息人士透露", "然而", "尽管如此", "从长期来看", "总体而言",
    ],
    "speakers": [
        "一名当地居民说", "一位不愿具名的官员表示", "一名经营餐馆的业主告诉记者", "一位退休教师说",
        "一名大学生表示", "这名发言人强调", "一位长期关注此事的学者说", "一名在场的记者描述",
        "该公司一名高管表示", "一名参加活动的民众说", "一位医生提醒", "一名工程师解释", "一位农民说",
        "一名出租车司机抱怨", "一位家长说",
    ],
    "quotes": [
        "我们希望政府能够尽快拿出具体的办法。", "现在物价涨得太快，普通家庭的压力很大。",
        "这只是第一步，后面还有很多工作要做。", "我们会继续和各方保持沟通。", "大家都在等待最终的结果。",
        "情况比我们预想的要好一些。", "这个问题已经存在很多年了，不是一天两天能解决的。",
        "我们欢迎任何有助于改善民生的措施。", "安全永远是第一位的。", "市场需要的是稳定和可预期的政策。",
        "年轻人找工作越来越难了。", "我们已经做好了最坏的打算。", "数据说明，过去几年的投入开始见效。",
        "这次的经验值得认真总结。", "希望明年的情况能够好转。", "我们不会放弃，一定会坚持下去。",
        "每个人都应该为保护环境出一份力。", "技术进步的速度远远超出了大家的想象。",
        "这对整个行业来说都是一个重要的信号。", "我们需要更多的时间来评估影响。",
        "政策的方向是对的，关键在于落实。", "孩子们的教育不能再耽误了。", "医院的病床已经非常紧张。",
        "游客回来了，生意也慢慢好起来了。", "谁也不知道下一步会发生什么。",
    ],
    "subheadings": [
        "各方反应", "事件背景", "市场影响", "专家观点", "未来走向", "数据解读", "争议焦点", "民众心声",
        "政策细节", "国际反应", "后续发展", "历史回顾", "现场直击", "经济影响", "监管动向", "产业观察",
        "地方回应", "风险与挑战", "下一步行动", "多方角力", "社会影响", "幕后故事", "背景资料", "外界质疑",
    ],
    "list_intros": [
        "根据公布的方案，主要内容包括：", "有关部门提醒民众注意以下几点：", "报告提出了以下几项建议：",
        "分析人士认为，有几个因素值得关注：", "当局列出了几项主要措施：", "这项计划分为几个部分：",
    ],
    "list_items": [
        "加大对低收入家庭的补贴力度", "简化企业办理相关手续的流程", "在重点地区增设临时医疗站点",
        "提高公共交通的运行频率", "加强对食品安全的抽查检测", "推动公共服务数字化",
        "储备至少三天的饮用水和食物", "远离河道、海边和施工工地", "留意官方渠道发布的最新消息",
        "扩大对中小企业的贷款担保", "在学校推广心理健康教育", "设立专门的投诉和咨询热线",
        "加快老旧社区的改造进度", "鼓励企业采用清洁能源", "严厉打击网络诈骗等违法行为",
        "完善失业保险和再就业培训", "提高对外资的开放程度", "加强与邻国的边境合作",
        "增加对科研机构的经费投入", "规范网络平台的数据收集", "降低部分进口商品的关税",
        "延长公共图书馆的开放时间", "为老年人提供上门医疗服务", "改善农村地区的道路和供水设施",
        "加强极端天气的预警能力", "推动跨境支付的便利化", "对违规企业处以高额罚款",
        "扩大职业技术教育的招生规模", "建立更加透明的信息公开制度", "优化出口退税的办理流程",
    ],
    "tails": [
        "市场反应平淡", "多地停航停课", "专家呼吁加强监管", "民众忧虑加剧", "各方反应不一", "外界高度关注",
        "后续影响待观察", "官方称情况可控", "业界看好前景", "反对声浪不断", "引发网络热议", "数据显示分化",
        "谈判仍存分歧", "或影响明年预算", "当局加强戒备", "居民生活受影响", "相关企业受冲击", "争议持续发酵",
        "成效初步显现", "前景仍不明朗", "社会期待落实", "专家解读原因", "消费者受惠", "地方政府积极回应",
        "国际社会表示关注", "多人受伤送医", "交通一度中断", "创十年来新高", "为近年来首次", "当局否认相关报道",
    ],
    "names": [
        "王明", "李华", "陈静", "张伟", "刘洋", "杨帆", "黄丽", "赵磊", "周婷", "吴涛", "徐静怡", "孙志强",
        "马晓东", "胡佳", "朱立", "郭晨", "何敏", "林晓", "高远", "梁思", "谢文", "宋雨", "郑凯", "韩冰",
        "唐宁", "冯雪", "许诺", "曹阳", "彭丽", "叶青",
    ],
    "credits": ["路透社", "法新社", "美联社", "欧新社", "资料照片", "本台记者摄", "主办方提供", "彭博社", "共同社"],
    "link_sentences": [
        "相关背景资料可参考{link}。", "完整报告可在{link}查阅。", "更多信息见{link}。",
        "有关这一议题的更多资料，可以浏览{link}。",
    ],
    "self_links": ["本台此前的报道", "相关新闻", "事件回顾", "早前报道"],
    "author_forms": ["{source}记者{name}", "记者{name}", "{source}记者", "{source}特约记者{name}"],
}

# (name, URL) of organisations that articles link to
LINKS = [
    ("世界卫生组织网站", "https://www.who.int/"), ("世界贸易组织网站", "https://www.wto.org/"),
    ("联合国网站", "https://www.un.org/"), ("国际货币基金组织网站", "https://www.imf.org/"),
    ("世界银行网站", "https://www.worldbank.org/"), ("世界气象组织网站", "https://wmo.int/"),
    ("联合国教科文组织网站", "https://www.unesco.org/"), ("国际能源署网站", "https://www.iea.org/"),
    ("联合国环境规划署网站", "https://www.unep.org/"), ("国际奥委会网站", "https://www.olympics.com/ioc"),
]

# (file stem, background, ground, accent, alt texts, captions)
IMAGES = [
    ("harbor", "#9cc9e3", "#3d6e8f", "#c0392b", ["港口码头的集装箱"],
     ["港口码头上堆放的集装箱。", "货轮停靠在港口等待装卸。"]),
    ("skyline", "#f2c48d", "#4a4e69", "#f9dc5c", ["城市天际线"],
     ["城市中心的商业大楼。", "傍晚时分的城市街景。"]),
    ("chart", "#f4f4f4", "#dddddd", "#2a9d8f", ["数据图表"],
     ["相关数据走势示意图。", "近年来主要指标的变化。"]),
    ("mountains", "#b8d8e8", "#5b7f5a", "#ffffff", ["山区景色"],
     ["受影响山区的航拍画面。", "远处的山脉被云雾笼罩。"]),
    ("crowd", "#e9e3d5", "#8d6e63", "#d62828", ["聚集的民众"],
     ["民众在广场上聚集。", "排队等候的市民。"]),
    ("hall", "#d9cbb0", "#7f5539", "#264653", ["会议现场"],
     ["会议现场，官员回答记者提问。", "议会大厅内的辩论。"]),
    ("field", "#cfe8f3", "#c9a227", "#6a994e", ["农田"],
     ["收割季节的农田。", "干旱导致农田龟裂。"]),
    ("launch", "#1d3557", "#457b9d", "#f77f00", ["火箭发射"],
     ["运载火箭从发射场升空。", "发射场的远景。"]),
]

# What Taiwan media print where s2tw writes another form (see sitegen's house-style preset).
TAIWAN_FORMS = [("臺", "台"), ("發佈", "發布"), ("宣佈", "宣布"), ("公佈", "公布"), ("瞭解", "了解")]
HANT_QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})


def _strings(tree: object) -> list[str]:
    if isinstance(tree, str):
        return [tree]
    if isinstance(tree, (list, tuple)):
        return [s for item in tree for s in _strings(item)]
    if isinstance(tree, dict):
        return [s for key in sorted(tree) for s in _strings(tree[key])]
    return []


def _rebuild(tree: object, strings: list[str]) -> object:
    """`tree` with its strings replaced, in the order _strings lists them (ints kept)."""
    if isinstance(tree, str):
        return strings.pop(0)
    if isinstance(tree, list):
        return [_rebuild(item, strings) for item in tree]
    if isinstance(tree, tuple):
        return tuple(_rebuild(item, strings) for item in tree)
    if isinstance(tree, dict):
        return {key: _rebuild(tree[key], strings) for key in sorted(tree)}
    return tree


class Script:
    """The phrase pools in one script."""

    def __init__(self, lang: str, tree: dict) -> None:
        self.lang = lang
        self.pools: dict[str, list[str]] = tree["pools"]
        self.categories = tree["categories"]
        self.sources = tree["sources"]
        self.licenses = tree["licenses"]
        self.links = tree["links"]
        self.images = tree["images"]
        self.place_tags = self.pools["places"]


def scripts() -> dict[str, Script]:
    """The pools in Simplified and, through one OpenCC s2tw call, in Traditional."""
    tree = {"pools": POOLS, "categories": [(c[0], c[2], c[3]) for c in CATEGORIES],
            "sources": [s[1] for s in SOURCES], "licenses": [s[4] for s in SOURCES], "links": [name for name, _ in LINKS],
            "images": [(alt, caps) for _, _, _, _, alt, caps in IMAGES]}
    strings = _strings(tree)
    assert not any("\n" in s for s in strings)
    hant = opencc.OpenCC("s2tw").convert("\n".join(strings))
    for simplified, taiwan in TAIWAN_FORMS:
        hant = hant.replace(simplified, taiwan)
    converted = hant.translate(HANT_QUOTES).split("\n")
    assert len(converted) == len(strings)
    return {"zh-Hans": Script("zh-Hans", tree), "zh-Hant": Script("zh-Hant", _rebuild(tree, converted))}


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------

def _fill(rng: random.Random, text: str) -> str:
    if "{" not in text:
        return text
    return (text.replace("{n}", str(rng.randint(2, 500)))
            .replace("{pct}", f"{rng.randint(1, 25)}.{rng.randint(0, 9)}%")
            .replace("{big}", str(rng.randint(2, 900))))


def sentence(rng: random.Random, s: Script, place: str) -> str:
    p = s.pools
    kind = rng.random()
    if kind < 0.30:
        text = f"{rng.choice(p['times'])}，{rng.choice(p['actors'])}{rng.choice(p['predicates'])}，{rng.choice(p['clauses'])}。"
    elif kind < 0.55:
        text = f"{rng.choice(p['connectors'])}，{rng.choice(p['actors'])}{rng.choice(p['predicates'])}。"
    elif kind < 0.70:
        text = f"{rng.choice(p['connectors'])}，{rng.choice(p['clauses'])}。"
    elif kind < 0.82:
        quote = rng.choice(p["quotes"])
        text = f"{rng.choice(p['speakers'])}：「{quote}」" if s.lang == "zh-Hant" else f"{rng.choice(p['speakers'])}：“{quote}”"
    elif kind < 0.92:
        where = place if rng.random() < 0.5 else rng.choice(p["places"])
        text = f"在{where}，{rng.choice(p['actors'])}{rng.choice(p['predicates'])}，{rng.choice(p['clauses'])}。"
    else:
        text = f"{rng.choice(p['actors'])}{rng.choice(p['times'])}{rng.choice(p['predicates'])}。"
    return _fill(rng, text)


def paragraph(rng: random.Random, s: Script, place: str, size: int, first: str = "") -> str:
    parts = [first] if first else []
    length = len(first)
    while length < size:
        text = sentence(rng, s, place)
        parts.append(text)
        length += len(text)
    return "".join(parts)


def title(rng: random.Random, s: Script, topics: list[str], place: str) -> str:
    while True:
        head = rng.choice(topics)
        if rng.random() < 0.35:
            head = place + head
        text = f"{head} {rng.choice(s.pools['tails'])}"
        if 12 <= len(text) <= 28:
            return text


def body(rng: random.Random, s: Script, lead: str, place: str, self_url: str) -> str:
    p = s.pools
    count = rng.randint(6, 10)
    total = rng.randint(1150, 1450)
    paragraphs = [paragraph(rng, s, place, int(total / count * rng.uniform(0.7, 1.3)), lead if i == 0 else "")
                  for i in range(count)]
    before: list[list[str]] = [[] for _ in range(count)]  # blocks before paragraph i
    after: list[list[str]] = [[] for _ in range(count)]  # blocks after paragraph i
    if rng.random() < 0.35:  # a figure after the first or second paragraph
        k = rng.randrange(len(IMAGES))
        alts, captions = s.images[k]
        caption = f"{rng.choice(captions)}（{rng.choice(p['credits'])}）"
        after[rng.randint(0, 1)].append(f'![{rng.choice(alts)}](/images/bench/{IMAGES[k][0]}.svg "{caption}")')
    if rng.random() < 0.5:  # a subheading opening the second half
        before[count // 2].append("## " + rng.choice(p["subheadings"]))
    if rng.random() < 0.3:  # a link at the end of a paragraph
        if rng.random() < 0.7:
            k = rng.randrange(len(LINKS))
            link = f"[{s.links[k]}]({LINKS[k][1]})"
        else:
            link = f"[{rng.choice(p['self_links'])}]({self_url})"
        paragraphs[rng.randrange(1, count)] += rng.choice(p["link_sentences"]).replace("{link}", link)
    if rng.random() < 0.3:  # a list with the sentence that introduces it
        items = rng.sample(p["list_items"], rng.randint(3, 5))
        lines = [f"- {item}；" for item in items[:-1]] + [f"- {items[-1]}。"]
        after[rng.randrange(2, count)] += [rng.choice(p["list_intros"]), "\n".join(lines)]
    if rng.random() < 0.15:  # a block quote
        after[rng.randrange(2, count)].append("> " + paragraph(rng, s, place, rng.randint(60, 120)))
    return "\n\n".join(block for i in range(count) for block in (*before[i], paragraphs[i], *after[i]))


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#\[\]{},'\"]*$")


def yaml_text(value: str) -> str:
    """A YAML scalar for `value`: plain when that is safe, else double-quoted."""
    return value if _PLAIN.match(value) and value == value.strip() else json.dumps(value, ensure_ascii=False)


def article(index: int, seed: int, langs: dict[str, Script], taken: set[str]) -> tuple[str, str, str]:
    """(source id, article id, file text) of article `index`."""
    rng = random.Random(f"sitegen-bench:{seed}:{index}")
    src_index = rng.randrange(len(SOURCES))
    src_id, _, src_category, src_script, _ = SOURCES[src_index]
    lang = src_script if src_script != "auto" else rng.choice(["zh-Hans", "zh-Hant"])
    s = langs[lang]
    while True:
        article_id = f"{rng.getrandbits(32):08x}"
        if article_id not in taken:
            taken.add(article_id)
            break
    when = EPOCH + timedelta(minutes=rng.randrange(SPAN_MINUTES))
    cat_index = src_category if rng.random() < 0.5 else rng.randrange(len(CATEGORIES))
    category, topics, cat_tags = s.categories[cat_index]
    place = rng.choice(s.pools["places"])
    tags = rng.sample(cat_tags, rng.randint(1, 3))
    if len(tags) < 4 and rng.random() < 0.4:
        tags.append(place if place not in tags else rng.choice(s.place_tags))
    tags = list(dict.fromkeys(tags))
    source_name = s.sources[src_index]
    site = f"https://{src_id}.example.com"
    source_url = f"{site}/news/{CATEGORIES[cat_index][1]}/{when:%Y%m%d}/{article_id}.html"
    self_url = f"{site}/news/{CATEGORIES[cat_index][1]}/{(when - timedelta(days=rng.randint(1, 60))):%Y%m%d}/{rng.getrandbits(32):08x}.html"
    lead = sentence(rng, s, place)
    while not lead.endswith("。"):
        lead = sentence(rng, s, place)
    author = rng.choice(s.pools["author_forms"]).replace("{source}", source_name).replace("{name}", rng.choice(s.pools["names"]))
    lines = [
        "---",
        f"title: {yaml_text(title(rng, s, topics, place))}",
        f'date: "{when.isoformat()}"',
        f"source: {src_id}",
        f"lang: {lang}",
        f'id: "{article_id}"',
        f'guid: "{site}/?p={int(article_id, 16)}"',
        f"source_name: {yaml_text(source_name)}",
        f'source_url: "{source_url}"',
        f"author: {yaml_text(author)}",
        f"categories: [{yaml_text(category)}]",
        f"tags: [{', '.join(yaml_text(t) for t in tags)}]",
        f"summary: {yaml_text(lead)}",
    ]
    if rng.random() < 0.9:
        k = rng.randrange(len(IMAGES))
        lines += ["image:", f"  url: /images/bench/{IMAGES[k][0]}.svg",
                  f"  caption: {yaml_text(rng.choice(s.images[k][1]))}",
                  f"  credit: {yaml_text(rng.choice(s.pools['credits']))}"]
    lines += [f"editor: {yaml_text(rng.choice(s.pools['names']))}", "---", "",
              body(rng, s, lead, place, self_url), ""]
    return src_id, article_id, "\n".join(lines)


def config_text(hant: Script, articles: int, seed: int) -> str:
    out = [f"# Made by bench/make_corpus.py --articles {articles} --seed {seed}; regenerate rather than edit.",
           "", "[site]", f"title = {json.dumps(SITE_TITLE, ensure_ascii=False)}", f'base_url = "{BASE_URL}"']
    for (src_id, _, category, script, _), name, license in zip(SOURCES, hant.sources, hant.licenses):
        out += ["", "[[sources]]", f'id = "{src_id}"', f"name = {json.dumps(name, ensure_ascii=False)}",
                f'url = "https://{src_id}.example.com/feed.xml"',
                f"category = {json.dumps(hant.categories[category][0], ensure_ascii=False)}",
                f'script = "{script}"', f"license = {json.dumps(license, ensure_ascii=False)}"]
    return "\n".join(out) + "\n"


def svg(stem: str, sky: str, ground: str, accent: str, k: int) -> str:
    bars = "".join(f'<rect x="{120 + i * 130}" y="{560 - h}" width="80" height="{h}" fill="{accent}" opacity=".85"/>'
                   for i, h in enumerate([(70 + 53 * ((i * 7 + k * 3) % 8)) for i in range(8)]))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" viewBox="0 0 1200 675">'
            f"<title>{stem}</title>"
            f'<rect width="1200" height="675" fill="{sky}"/>'
            f'<path d="M0 {420 + 20 * k} Q300 {340 + 15 * k} 600 {430 - 10 * k} T1200 {400 + 12 * k} V675 H0z" fill="{ground}"/>'
            f'<circle cx="{180 + 110 * k}" cy="{120 + 8 * k}" r="{40 + 4 * k}" fill="{accent}" opacity=".7"/>'
            f"{bars}</svg>\n")


def write(path: Path, text: str) -> int:
    data = text.encode("utf-8")
    path.write_bytes(data)
    return len(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--articles", type=int, required=True, metavar="N")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true",
                        help="replace content/ and static/images/bench/ of a site this script made before")
    args = parser.parse_args(argv)
    out: Path = args.out_dir
    if args.articles < 0:
        parser.error("--articles must be 0 or more")
    if out.exists() and any(out.iterdir()):
        config = out / "sitegen.toml"
        ours = config.is_file() and config.read_text(encoding="utf-8").startswith("# Made by bench/make_corpus.py")
        if not args.force or not ours:
            print(f"error: {out}: folder exists and is not empty"
                  + ("; --force replaces a site made by this script" if not ours else "; pass --force to replace it"),
                  file=sys.stderr)
            return 2
        for made in (out / "content", out / "static" / "images" / "bench"):
            if made.exists():
                shutil.rmtree(made)

    started = time.perf_counter()
    langs = scripts()
    images = out / "static" / "images" / "bench"
    images.mkdir(parents=True, exist_ok=True)
    (out / "templates").mkdir(exist_ok=True)
    total = write(out / "sitegen.toml", config_text(langs["zh-Hant"], args.articles, args.seed))
    for k, (stem, sky, ground, accent, _, _) in enumerate(IMAGES):
        total += write(images / f"{stem}.svg", svg(stem, sky, ground, accent, k))
    for src_id, *_ in SOURCES:
        (out / "content" / src_id).mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    counts = {"zh-Hans": 0, "zh-Hant": 0}
    body_bytes = 0
    for index in range(args.articles):
        src_id, article_id, text = article(index, args.seed, langs, taken)
        counts["zh-Hant" if "\nlang: zh-Hant\n" in text else "zh-Hans"] += 1
        size = write(out / "content" / src_id / f"{article_id}.md", text)
        body_bytes += size
    total += body_bytes
    elapsed = time.perf_counter() - started
    average = body_bytes // args.articles if args.articles else 0
    print(f"made {out}: sitegen.toml ({len(SOURCES)} sources), {args.articles} articles "
          f"({counts['zh-Hans']} zh-Hans, {counts['zh-Hant']} zh-Hant, {average:,} bytes each on average), "
          f"{len(IMAGES)} images in static/images/bench/")
    print(f"total {total:,} bytes in {elapsed:.2f} s (seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
