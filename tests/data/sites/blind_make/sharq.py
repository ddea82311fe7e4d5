"""Al-Sharq (Qatar)-like: the seed page /work/shared/seed/column-page.txt in Bootstrap markup.

As the real page: the byline box (name, a "- degree" line, «مقالات 414» split over two
elements with an ad slot in between), the name again above the title, the date as
«14 سبتمبر 2025 , 03:05ص», no view count for the column itself but an «اقرأ المزيد» box
of three other columns each with its views and its date, a masthead "today" date, ads.
"""

from __future__ import annotations

from typing import Any

from common import GREG_MONTHS, Col, ampm_12, body, esc, local, pct, truth, weekday

TZ = "Asia/Qatar"
TODAY = local(TZ, 2025, 9, 16, 18, 0)

SEED_BODY = (
    "في ظل التحولات الأمنية الأخيرة التي شهدتها المنطقة لاسيما العدوان الإسرائيلي على الأراضي القطرية في 9 سبتمبر عاد إلى الواجهة مجددًا سؤال جوهري في السياسات الخارجية للدول الصغيرة والمتوسطة وهو: كيف يمكن لدولة تعتمد الخيار الدبلوماسي وتتبنى نهج الحياد الإيجابي أن تحمي سيادتها في بيئة إقليمية مضطربة؟ الإجابة الواقعية تكمن في دبلوماسية التحالفات وهي سياسة خارجية تقوم على بناء شبكات من الشراكات الاستراتيجية مع قوى إقليمية ودولية لا لمجرد المجاملة أو التوازن السياسي بل كخيار أمني دفاعي بديل عن المواجهة المباشرة.",
    "يمكن تبسيط مفهوم دبلوماسية التحالفات بأنه نهج تستخدمه الدول لتعزيز أمنها القومي وردع التهديدات من خلال شراكات قائمة على المصالح المشتركة دون الحاجة إلى الدخول في محاور عسكرية أو تحالفات هجومية وهي تعتمد على تنسيق سياسي أمني واقتصادي متعدد الأطراف يسمح للدول بتحقيق التوازن في مواجهة القوة الأكبر والحفاظ على قرارها السيادي المستقل.",
    "تتمثل أهمية هذه التحالفات أولاً في ردع التهديدات دون التصعيد من خلال تحالفات دفاعية ذكية كرسالة واضحة تعبر من خلالها قطر بأن أي اعتداء على أراضيها لن يمر دون تكلفة سياسية أو استراتيجية حتى دون الحاجة إلى رد عسكري مباشر. ثانيًا تنويع الشركاء وتقليل الاعتماد الأحادي ببناء علاقات متقدمة مع قوى مثل تركيا فرنسا بريطانيا وحتى عبر أطر جماعية مثل مجلس التعاون أو منظمة التعاون الإسلامي وجامعة الدول العربية يمنح قطر أدوات ضغط ومرونة في الخيارات. ثالثًا تعزيز الحماية القانونية والسياسية فمن خلال التحالفات يصبح الدفاع عن قطر ليس فقط مسؤولية ذاتية بل مسؤولية تضامنية بين الدول المتحالفة مما يصعب على أي طرف التفكير في خرق السيادة دون مواجهة ردود دولية. رابعًا تثبيت الدور القطري كفاعل دبلوماسي محوري، فالتحالفات لا تقلل من الحياد بل تدعمه وتمكن قطر من الاستمرار في دورها كوسيط موثوق في النزاعات وتضمن ايضًا عدم استغلال هذا الحياد كذريعة للعدوان.",
    "وأخيرًا دبلوماسية التحالفات ليست ترفا دبلوماسيًا بل أصبحت ضرورة استراتيجية لحماية الدولة من أي تجاوزات مستقبلية خاصة في بيئة دولية باتت تحكمها القوة أكثر من القانون وعليه فإن صانع القرار السياسي عليه إعادة تعريف حدود الاتفاقيات الدفاعية الحالية مع الحلفاء ببناء تحالفات دفاعية ذكية ومحددة المهام وخلق منظومة تحالفية تمكنها من الصمود لا الانعزال، ففي عالم التحولات الكبرى السيادة تُحمى بالدبلوماسية القوية لا بالصمت الاستراتيجي.",
)

MOUDI = ("د. موضي مبارك ناصر البوعينين", 1856, "دكتوراه في العلاقات الدولية", 414)
WRITERS = {
    "moudi": MOUDI,
    "kuwari": ("د. سلطان حمد الكواري", 1203, "أستاذ علم الاجتماع المشارك - جامعة قطر", 187),
    "muhannadi": ("د. أحمد عبدالله المهندي", 977, "باحث في العلاقات الدولية والقانون الدولي", 652),
    "jaber": ("خالد عبدالله الجابر", 1411, None, 1043),
    "kaabi": ("م. نورة سالم الكعبي", 2250, "مهندسة بيئية - خبيرة في إدارة الموارد المائية", 58),
}


def _columns() -> list[Col]:
    def col(key: str, title: str, who: str, when: tuple[int, int, int, int], topic: int | None
            ) -> Col:
        name, wid, cred, count = WRITERS[who]
        paragraphs = SEED_BODY if topic is None else body(topic, title, "حين نتأمل")
        slug = "-".join(title.replace("..", " ").replace("!", "").replace("؟", "").split())
        return Col(key=key, slug=slug, title=title, author=name, author_slug=who, author_id=wid,
                   credentials=cred, article_count=count,
                   published=local(TZ, 2025, 9, when[0], when[1], when[2]),
                   views=None, paragraphs=paragraphs)
    return [
        col("a1", "القيم الثقافية والتغير الاجتماعي", "kuwari", (16, 2, 40, 1), 1),
        col("a2", "العالم بعد ويستفاليا.. بين تفكيك القواعد وإعادة التأسيس !", "muhannadi",
            (16, 0, 15, 1), 2),
        col("a3", "المتقاعدون.. وماجلة أم علي", "jaber", (15, 23, 50, 1), 7),
        col("a4", "دبلوماسية التحالفات كأداة للردع والحماية الأمنية", "moudi", (14, 3, 5, 1),
            None),
        col("a5", "الماء أمن وطني قبل أن يكون خدمة", "kaabi", (13, 4, 20, 1), 0),
        col("a6", "مدن تمشي فيها الأقدام لا السيارات", "jaber", (12, 1, 10, 1), 4),
    ]


def _path(c: Col) -> str:
    d = c.published
    return f"/opinion/{d.day:02d}/{d.month:02d}/{d.year}/{c.slug}"


def _writer_path(c: Col) -> str:
    return f"/writer/{c.author_id}/{'-'.join(c.author.replace('.', '').split())}"


def _date_text(c: Col) -> str:
    clock, half = ampm_12(c.published)
    d = c.published
    return f"{d.day} {GREG_MONTHS[d.month - 1]} {d.year} , {clock}{half}"


def _short_date(c: Col) -> str:
    d = c.published
    return f"{d.day} {GREG_MONTHS[d.month - 1]} {d.year}"


HEAD_SCRIPTS = """<link rel="stylesheet" href="/assets/css/bootstrap.rtl.min.css?v=5.3.2">
<link rel="stylesheet" href="/assets/css/style.css?v=20250901">
<link rel="icon" href="/favicon.ico">
<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>
<script>
  window.googletag = window.googletag || {cmd: []};
  googletag.cmd.push(function() {
    googletag.defineSlot('/21812345/alsharq/leaderboard', [[728, 90], [970, 250]], 'div-gpt-ad-top').addService(googletag.pubads());
    googletag.pubads().enableSingleRequest(); googletag.enableServices();
  });
</script>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-7QX3SHRQ11"></script>
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date()); gtag('config', 'G-7QX3SHRQ11');</script>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsMediaOrganization","name":"جريدة الشرق","alternateName":"Al-Sharq","url":"http://HOST/","logo":{"@type":"ImageObject","url":"http://HOST/assets/images/logo.svg"},"sameAs":["https://twitter.com/alsharqnews","https://www.facebook.com/alsharqnewspaper"]}</script>"""


def _header(active: str) -> str:
    d = TODAY
    nav = [("/", "الرئيسية"), ("/local", "محليات"), ("/politics", "عربي ودولي"),
           ("/economy", "اقتصاد"), ("/sport", "رياضة"), ("/opinion", "مقالات"),
           ("/variety", "منوعات"), ("/video", "فيديو"), ("/pdf", "نسخة PDF")]
    items = "\n".join(
        f'        <li class="nav-item"><a class="nav-link{" active" if href == active else ""}" '
        f'href="{href}">{label}</a></li>' for href, label in nav)
    return f"""<header class="main-header">
  <div class="top-bar bg-light border-bottom">
    <div class="container d-flex justify-content-between align-items-center">
      <div class="today-date"><i class="fa-regular fa-calendar"></i> {weekday(d)} {d.day} {GREG_MONTHS[d.month - 1]} {d.year} - 24 ربيع الأول 1447</div>
      <div class="weather"><i class="fa fa-sun"></i> الدوحة 41°</div>
      <ul class="social list-inline mb-0">
        <li class="list-inline-item"><a href="https://twitter.com/alsharqnews" target="_blank" rel="noopener"><i class="fab fa-x-twitter"></i></a></li>
        <li class="list-inline-item"><a href="https://www.instagram.com/alsharqnewspaper" target="_blank" rel="noopener"><i class="fab fa-instagram"></i></a></li>
        <li class="list-inline-item"><a href="https://www.youtube.com/@alsharqtv" target="_blank" rel="noopener"><i class="fab fa-youtube"></i></a></li>
      </ul>
    </div>
  </div>
  <div class="container masthead d-flex justify-content-between align-items-center py-2">
    <div class="chairman small">رئيس مجلس الإدارة : د. خالد بن ثاني آل ثاني</div>
    <a class="navbar-brand logo" href="/"><img src="/assets/images/logo.svg" alt="Al-sharq" width="180"><span class="visually-hidden">الشرق</span></a>
    <div class="editor small">رئيس التحرير: جابر سالم الحرمي</div>
  </div>
  <nav class="navbar navbar-expand-lg navbar-dark bg-primary main-nav">
    <div class="container">
      <button class="navbar-toggler" type="button" data-bs-toggle="collapse" data-bs-target="#mainNav" aria-label="القائمة"><span class="navbar-toggler-icon"></span></button>
      <div class="collapse navbar-collapse" id="mainNav">
      <ul class="navbar-nav me-auto">
{items}
      </ul>
      <form class="d-flex search-form" action="/search" method="get"><input class="form-control" type="search" name="q" placeholder="بحث"></form>
      </div>
    </div>
  </nav>
</header>"""


def _ad(slot: str, extra: str = "") -> str:
    return (f'<div class="ad-container text-center my-3 {extra}"><span class="ad-label d-block small '
            f'text-muted">مساحة إعلانية</span><div id="div-gpt-ad-{slot}" class="gpt-ad"></div></div>')


FOOTER = """<section class="newsletter-box bg-light py-4 mt-4">
  <div class="container text-center">
    <h4>اشترك في النشرة البريدية</h4>
    <p>احصل على أهم الأخبار والمقالات يوميًا في بريدك</p>
    <form action="/newsletter/subscribe" method="post" class="d-flex justify-content-center"><input type="email" name="email" class="form-control w-50" placeholder="البريد الإلكتروني"><button class="btn btn-primary">اشتراك</button></form>
  </div>
</section>
<footer class="main-footer bg-dark text-white py-4">
  <div class="container">
    <ul class="list-inline footer-links"><li class="list-inline-item"><a href="/about">من نحن</a></li><li class="list-inline-item"><a href="/contact">اتصل بنا</a></li><li class="list-inline-item"><a href="/ads">أعلن معنا</a></li><li class="list-inline-item"><a href="/privacy">سياسة الخصوصية</a></li></ul>
    <p class="small mb-0">جميع الحقوق محفوظة لـ دار الشرق © 2025</p>
  </div>
</footer>
<script src="/assets/js/jquery-3.7.1.min.js"></script>
<script src="/assets/js/bootstrap.bundle.min.js"></script>
<script src="/assets/js/main.js?v=20250901"></script>"""


def _page(title: str, head: str, main: str, active: str = "/opinion") -> str:
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
{head}
{HEAD_SCRIPTS}
</head>
<body class="rtl">
{_header(active)}
<div class="container">
{_ad("top", "leaderboard")}
{main}
</div>
{FOOTER}
</body>
</html>
"""


def _related(cols: list[Col], views: dict[str, int], here: Col) -> str:
    others = [c for c in cols if c is not here][:3]
    cards = []
    for c in others:
        teaser = c.paragraphs[0].split("،")[0]
        cards.append(f"""      <div class="col-md-4">
        <div class="card read-more-card h-100">
          <a href="{_path(c)}"><img class="card-img-top" src="/assets/images/alsharq-placeholder.png" alt="alsharq"></a>
          <div class="card-body">
            <h5 class="card-title"><a href="{_path(c)}">{esc(c.title)}</a></h5>
            <p class="card-text">{esc(teaser)}،... <a href="{_path(c)}" class="more">اقرأ المزيد</a></p>
          </div>
          <div class="card-footer d-flex small text-muted">
            <span class="views"><i class="fa fa-eye"></i> {views[c.key]}</span>
            <span class="mx-1">|</span>
            <span class="date">{_short_date(c)}</span>
          </div>
        </div>
      </div>""")
    return ('<section class="read-more-box mt-4">\n  <h3 class="section-title">اقرأ المزيد</h3>\n'
            '  <div class="row g-3">\n' + "\n".join(cards) + "\n  </div>\n</section>")


def _sidebar(cols: list[Col], views: dict[str, int]) -> str:
    top = sorted(cols, key=lambda c: -views[c.key])[:4]
    items = "\n".join(
        f'      <li class="list-group-item"><a href="{_path(c)}">{esc(c.title)}</a>'
        f'<span class="badge bg-secondary ms-2">{views[c.key]}</span></li>' for c in top)
    return f"""<aside class="col-lg-4 sidebar">
  {_ad("side-1", "mpu")}
  <div class="most-read card">
    <div class="card-header">الأكثر قراءة</div>
    <ul class="list-group list-group-flush">
{items}
    </ul>
  </div>
  {_ad("side-2", "mpu")}
</aside>"""


def _column_page(c: Col, cols: list[Col], views: dict[str, int]) -> str:
    canonical = "http://HOST" + pct(_path(c))
    writer = _writer_path(c)
    paragraphs = []
    for i, p in enumerate(c.paragraphs):
        lead = " " if i in (1, 3) else ""  # the seed page's stray leading spaces
        paragraphs.append(f"<p>{lead}{esc(p)}</p>")
        if i == 1:
            paragraphs.append(_ad("in-article", "in-article"))
    paragraphs.append("<p>&nbsp;</p>")
    degree = (f'<ul class="writer-degree list-unstyled mb-0"><li>- {esc(c.credentials)}</li></ul>'
              if c.credentials else "")
    teaser = c.paragraphs[0][:150]
    head = f"""<meta name="description" content="{esc(teaser)}">
<link rel="canonical" href="{canonical}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="جريدة الشرق">
<meta property="og:title" content="{esc(c.title)}">
<meta property="og:description" content="{esc(teaser)}">
<meta property="og:url" content="{canonical}">
<meta property="og:image" content="http://HOST/uploads/writers/{c.author_id}.jpg">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:site" content="@alsharqnews">"""
    main = f"""<div class="row">
<div class="col-lg-8 col-md-12 article-page">
  <nav aria-label="breadcrumb"><ol class="breadcrumb"><li class="breadcrumb-item"><a href="/">الرئيسية</a></li><li class="breadcrumb-item"><a href="/opinion">مقالات</a></li></ol></nav>
  <div class="writer-box d-flex align-items-center border rounded p-3 mb-3">
    <div class="writer-img me-3"><a href="{writer}"><img class="rounded-circle" src="/uploads/writers/{c.author_id}.jpg" width="90" height="90" alt="{esc(c.author)}"></a></div>
    <div class="writer-info flex-grow-1">
      <h2 class="writer-name h5"><a href="{writer}">{esc(c.author)}</a></h2>
      {degree}
    </div>
    {_ad("writer", "writer-ad d-none d-md-block")}
    <div class="writer-articles text-center">
      <span class="d-block small">مقالات</span>
      <span class="num fw-bold">{c.article_count}</span>
    </div>
  </div>
  <div class="article-head">
    <div class="article-writer"><a href="{writer}">{esc(c.author)}</a></div>
    <h1 class="article-title">{esc(c.title)}</h1>
    <div class="article-meta d-flex small text-muted">
      <span class="article-date"><i class="fa-regular fa-clock"></i> {_date_text(c)}</span>
    </div>
  </div>
  <div class="share-bar my-2">
    <a class="share-fb" href="https://www.facebook.com/sharer.php?u={canonical}" target="_blank">فيسبوك</a>
    <a class="share-x" href="https://twitter.com/intent/tweet?url={canonical}" target="_blank">إكس</a>
    <a class="share-wa" href="https://api.whatsapp.com/send?text={canonical}" target="_blank">واتساب</a>
    <button class="btn btn-sm copy-link" data-url="{canonical}">نسخ الرابط</button>
    <span class="font-size-tools"><button class="btn btn-sm">A+</button><button class="btn btn-sm">A-</button></span>
  </div>
  <div class="article-body fs-5" id="articleBody">
    {chr(10).join(paragraphs)}
  </div>
  <div class="article-tags mt-3"><span>الكلمات الدالة:</span> <a href="/tag/قطر" class="badge bg-light text-dark">قطر</a> <a href="/tag/مقالات" class="badge bg-light text-dark">مقالات</a></div>
  {_ad("after-article")}
  {_related(cols, views, c)}
</div>
{_sidebar(cols, views)}
</div>"""
    return _page(f"{c.title} - جريدة الشرق", head, main)


def _listing(cols: list[Col]) -> str:
    cards = []
    for c in cols:
        writer = _writer_path(c)
        cards.append(f"""    <div class="col-md-6 col-lg-4">
      <div class="card opinion-card h-100 text-center">
        <a href="{writer}" class="writer-photo"><img class="rounded-circle mx-auto mt-3" src="/uploads/writers/{c.author_id}.jpg" width="80" height="80" alt="{esc(c.author)}"></a>
        <div class="card-body">
          <h6 class="writer-name"><a href="{writer}">{esc(c.author)}</a></h6>
          <h5 class="card-title"><a href="{_path(c)}">{esc(c.title)}</a></h5>
          <span class="date small text-muted">{_short_date(c)}</span>
        </div>
      </div>
    </div>""")
    strip = "\n".join(
        f'      <li class="list-inline-item"><a href="{_writer_path(c)}">{esc(c.author)}</a></li>'
        for c in {c.author: c for c in cols}.values())
    main = f"""<div class="row">
<div class="col-lg-8">
  <h1 class="section-title">مقالات</h1>
  <div class="writers-strip mb-3">
    <h4 class="small">كتّاب الشرق</h4>
    <ul class="list-inline">
{strip}
    </ul>
  </div>
  <div class="row g-3 opinion-list">
{chr(10).join(cards)}
  </div>
  <div class="text-center my-4"><button class="btn btn-outline-primary load-more" data-url="/Opinion/LoadMore?page=2" data-section="opinion">تحميل المزيد</button></div>
</div>
{_sidebar(cols, {c.key: 100 + i for i, c in enumerate(cols)})}
</div>"""
    head = ('<link rel="canonical" href="http://HOST/opinion">\n'
            '<meta property="og:title" content="مقالات - جريدة الشرق">')
    return _page("مقالات - جريدة الشرق", head, main)


def _writer_page(c: Col, cols: list[Col]) -> str:
    mine = [x for x in cols if x.author == c.author]
    items = "\n".join(f'    <li><a href="{_path(x)}">{esc(x.title)}</a> <span class="date">'
                      f"{_short_date(x)}</span></li>" for x in mine)
    degree = f"<p class=\"writer-degree\">{esc(c.credentials)}</p>" if c.credentials else ""
    main = f"""<div class="writer-profile text-center my-4">
  <img class="rounded-circle" src="/uploads/writers/{c.author_id}.jpg" width="120" alt="{esc(c.author)}">
  <h1 class="h3">{esc(c.author)}</h1>
  {degree}
  <p>مقالات <b>{c.article_count}</b></p>
</div>
<ul class="writer-articles list-unstyled">
{items}
</ul>"""
    return _page(f"{c.author} - جريدة الشرق", "", main)


def build() -> tuple[dict[str, str], dict[str, Any]]:
    cols = _columns()
    views = {"a1": 93, "a2": 219, "a3": 510, "a4": 1287, "a5": 342, "a6": 871}
    files: dict[str, str] = {
        "robots.txt": "User-agent: *\nDisallow: /search\nDisallow: /newsletter/\n"
                      "Disallow: /Opinion/LoadMore\n",
        "opinion/index.html": _listing(cols),
    }
    for c in cols:
        files[_path(c).lstrip("/") + "/index.html"] = _column_page(c, cols, views)
        files[_writer_path(c).lstrip("/") + "/index.html"] = _writer_page(c, cols)
    data = truth(cols, {c.key: pct(_path(c)) for c in cols},
                 {c.key: pct(_writer_path(c)) for c in cols},
                 listing="/opinion", older=[], timezone=TZ, now=TODAY.isoformat(),
                 lacks=["views"],
                 model="Al-Sharq (Qatar): the seed page's byline, credentials, «مقالات N», "
                       "date «14 سبتمبر 2025 , 03:05ص», no views of its own, an «اقرأ المزيد» "
                       "box of other columns with views and dates")
    return files, data
