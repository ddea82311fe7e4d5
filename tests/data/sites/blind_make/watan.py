"""A Saudi daily's legacy ASP.NET WebForms site (Al-Watan-like), windows-1256.

What such sites look like: pages in windows-1256 served as bare "text/html" (the charset
only in a <meta http-equiv>), ?id= URLs (/Writers/Details.aspx?id=45123), relative links,
no canonical, no OpenGraph, no JSON-LD, table layout, ASP.NET control ids
(ctl00_cphMain_lblTitle) and no <h1>, the body pasted from Word (MsoNormal spans,
<o:p>, &nbsp; paragraphs), the date as «الاثنين 12/5/1447 هـ الموافق 03/11/2025 م» with
the time in its own span, «عدد القراءات: 2345», «أرشيف الكاتب (250 مقالاً)», a GridView
listing paged by __doPostBack (no next URL), and an RSS feed linked by an icon whose
pubDate is the local time labelled GMT (the classic bug: three hours late).
No credentials are printed.
"""

from __future__ import annotations

from typing import Any

from common import GREG_MONTHS, HIJRI_MONTHS, Col, ampm_12, body, esc, local, truth, weekday

TZ = "Asia/Riyadh"
TODAY = local(TZ, 2025, 11, 4, 22, 0)
HIJRI_NOV = {d: d + 9 for d in range(1, 21)}  # 1 Nov 2025 = 10 Jumada I 1447 (Umm al-Qura)

WRITERS = {
    "77": ("عبدالله المطيري", 250),
    "104": ("د. نورة الشهري", 87),
    "61": ("صالح الزهراني", 1310),
}


def _columns() -> list[Col]:
    rows = [
        ("45123", "ساعة الهاتف والعائلة", "104", (4, 20, 15), 5, 2345),
        ("45101", "عطش المدن الكبرى", "77", (3, 21, 0), 0, 1802),
        ("45088", "من قاعة الدرس إلى خط الإنتاج", "61", (3, 9, 40), 3, 4410),
        ("45060", "كتاب في حقيبة كل طالب", "104", (2, 20, 30), 1, 977),
        ("45042", "حرارة لا تطاق", "61", (1, 22, 5), 6, 12056),
        ("45017", "تكاليف الفرح", "77", (1, 8, 50), 7, 3120),
    ]
    return [_col(*r) for r in rows]


def _col(key: str, title: str, who: str, when: tuple[int, int, int], topic: int,
         views: int) -> Col:
    name, count = WRITERS[who]
    return Col(key=key, slug=key, title=title, author=name, author_slug=who, author_id=int(who),
               credentials=None, article_count=count,
               published=local(TZ, 2025, 11, when[0], when[1], when[2]), views=views,
               paragraphs=body(topic, title, "يطيب لي أن أتناول"))


def _path(c: Col) -> str:
    return f"/Writers/Details.aspx?id={c.key}"


def _writer(c: Col) -> str:
    return f"/Writers/Writer.aspx?id={c.author_slug}"


def _date(c: Col) -> str:
    d = c.published
    return (f"{weekday(d)} {HIJRI_NOV[d.day]}/5/1447 هـ الموافق "
            f"{d.day:02d}/{d.month:02d}/{d.year} م")


def _page(title: str, main: str) -> str:
    d = TODAY
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" dir="rtl">
<head id="ctl00_Head1"><meta http-equiv="Content-Type" content="text/html; charset=windows-1256" /><title>
	{esc(title)}
</title><link href="../App_Themes/Default/Style.css" type="text/css" rel="stylesheet" />
<script type="text/javascript" src="../Scripts/jquery-1.4.2.min.js"></script>
<script type="text/javascript">
  var _gaq = _gaq || []; _gaq.push(['_setAccount', 'UA-1234567-1']); _gaq.push(['_trackPageview']);
</script>
</head>
<body>
<form name="aspnetForm" method="post" action="Details.aspx" id="aspnetForm">
<div><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTIzNDU2Nzg5MGQYAQUeX19Db250cm9sc1JlcXVpcmVQb3N0QmFja0tleV9fFgEFGWN0bDAwJGNwaE1haW4kaWJ0blNlYXJjaA==" /></div>
<script type="text/javascript">
//<![CDATA[
var theForm = document.forms['aspnetForm'];
function __doPostBack(eventTarget, eventArgument) {{ if (!theForm.onsubmit || (theForm.onsubmit() != false)) {{ theForm.__EVENTTARGET.value = eventTarget; theForm.__EVENTARGUMENT.value = eventArgument; theForm.submit(); }} }}
//]]>
</script>
<table width="990" border="0" cellspacing="0" cellpadding="0" align="center" class="MainTable">
  <tr><td class="TopBar"><span id="ctl00_lblToday">{weekday(d)} {HIJRI_NOV[d.day]} {HIJRI_MONTHS[4]} 1447 هـ - {d.day} {GREG_MONTHS[d.month - 1]} {d.year} م</span>
    &nbsp;|&nbsp; <a href="../Default.aspx">الرئيسية</a> &nbsp;|&nbsp; <a href="../Archive.aspx">الأرشيف</a></td></tr>
  <tr><td class="Header"><a href="../Default.aspx"><img src="../Images/logo.gif" alt="الوطن" border="0" /></a>
    <div class="Banner"><a href="../Ads/Click.aspx?b=12" target="_blank"><img src="../Ads/banner_728x90.gif" border="0" alt="إعلان" /></a></div></td></tr>
  <tr><td class="Menu"><a href="../News/Default.aspx?SectionID=1">محليات</a> | <a href="../News/Default.aspx?SectionID=2">سياسة</a> | <a href="../News/Default.aspx?SectionID=3">اقتصاد</a> | <a href="Default.aspx?SectionID=4" class="Selected">كتاب الوطن</a> | <a href="../News/Default.aspx?SectionID=5">رياضة</a></td></tr>
  <tr><td>
{main}
  </td></tr>
  <tr><td class="Footer">جميع الحقوق محفوظة لصحيفة الوطن © {d.year} &nbsp; <a href="../Contact.aspx">اتصل بنا</a></td></tr>
</table>
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" /><input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
</form>
</body>
</html>
"""


def _word(text: str) -> str:
    return ('<p class="MsoNormal" dir="RTL" style="text-align:justify;direction:rtl;unicode-bidi:embed">'
            '<span lang="AR-SA" style="font-size:14.0pt;font-family:&quot;Simplified Arabic&quot;">'
            f"{esc(text)}<o:p></o:p></span></p>")


def _column(c: Col, cols: list[Col]) -> str:
    clock, half = ampm_12(c.published)
    more = "".join(f'<tr><td class="MoreItem">&raquo; <a href="Details.aspx?id={x.key}">{esc(x.title)}</a> '
                   f'<span class="MoreDate">({x.published.day:02d}/{x.published.month:02d}/{x.published.year})</span></td></tr>'
                   for x in cols if x.author == c.author and x is not c)
    paragraphs = "\n".join(_word(p) for p in c.paragraphs)
    main = f"""<table width="100%" cellpadding="4" cellspacing="0">
<tr>
<td valign="top" width="680">
  <table width="100%" class="WriterBox"><tr>
    <td width="90"><img id="ctl00_cphMain_imgWriter" src="../Writers/Images/{c.author_slug}.jpg" width="80" height="100" border="0" /></td>
    <td><a id="ctl00_cphMain_hlWriter" class="WriterName" href="Writer.aspx?id={c.author_slug}">{esc(c.author)}</a><br />
      <a id="ctl00_cphMain_hlArchive" class="WriterArchive" href="Writer.aspx?id={c.author_slug}">أرشيف الكاتب ({c.article_count} مقالاً)</a></td>
  </tr></table>
  <span id="ctl00_cphMain_lblTitle" class="ArticleTitle">{esc(c.title)}</span><br />
  <span id="ctl00_cphMain_lblDate" class="ArticleDate">{_date(c)}</span>
  <span id="ctl00_cphMain_lblTime" class="ArticleTime">{clock} {half}</span>
  &nbsp;&nbsp;<span id="ctl00_cphMain_lblViews" class="ArticleViews">عدد القراءات: {c.views}</span>
  <div class="Tools"><a href="javascript:window.print();">طباعة</a> | <a href="SendToFriend.aspx?id={c.key}">أرسل لصديق</a> | <a href="javascript:void(0)" onclick="fontUp()">تكبير الخط</a></div>
  <div id="ctl00_cphMain_divBody" class="ArticleBody">
{paragraphs}
<p class="MsoNormal" dir="RTL"><span lang="AR-SA"><o:p>&nbsp;</o:p></span></p>
  </div>
  <table class="MoreArticles" width="100%"><tr><th>مقالات أخرى للكاتب</th></tr>{more}</table>
  <div class="Comments"><span id="ctl00_cphMain_lblCommentsCount">التعليقات (0)</span> <a href="AddComment.aspx?id={c.key}">أضف تعليقك</a></div>
</td>
<td valign="top" width="300" class="SideBar">
  <div class="SideBanner"><img src="../Ads/mpu_300x250.gif" alt="إعلان" /></div>
  <div class="MostRead"><b>الأكثر قراءة</b>{"".join(f'<div><a href="Details.aspx?id={x.key}">{esc(x.title)}</a> <span>({x.views})</span></div>' for x in sorted(cols, key=lambda x: -(x.views or 0))[:3])}</div>
</td>
</tr>
</table>"""
    return _page(f"الوطن أون لاين :: {c.title}", main)


def _listing(cols: list[Col]) -> str:
    rows = "\n".join(f"""  <tr class="{'Row' if i % 2 == 0 else 'AltRow'}">
    <td><img src="Images/{c.author_slug}_s.jpg" width="40" height="50" /></td>
    <td><a href="Writer.aspx?id={c.author_slug}" class="GridWriter">{esc(c.author)}</a></td>
    <td><a href="Details.aspx?id={c.key}" class="GridTitle">{esc(c.title)}</a></td>
    <td class="GridDate">{c.published.day:02d}/{c.published.month:02d}/{c.published.year}</td>
  </tr>""" for i, c in enumerate(cols))
    main = f"""<table width="100%"><tr><td valign="top">
<div class="SectionTitle">كتاب الوطن <a href="../rss/writers.xml"><img src="../Images/rss.gif" alt="RSS" border="0" /></a></div>
<table class="Grid" cellspacing="0" rules="all" border="1" id="ctl00_cphMain_gvWriters" style="width:100%;border-collapse:collapse;">
  <tr class="Header"><th scope="col">&nbsp;</th><th scope="col">الكاتب</th><th scope="col">العنوان</th><th scope="col">التاريخ</th></tr>
{rows}
  <tr class="Pager"><td colspan="4"><table border="0"><tr><td><span>1</span></td><td><a href="javascript:__doPostBack('ctl00$cphMain$gvWriters','Page$2')">2</a></td><td><a href="javascript:__doPostBack('ctl00$cphMain$gvWriters','Page$3')">3</a></td><td><a href="javascript:__doPostBack('ctl00$cphMain$gvWriters','Page$Next')">التالي</a></td></tr></table></td></tr>
</table>
</td></tr></table>"""
    return _page("الوطن أون لاين :: كتاب الوطن", main)


def _writer_page(c: Col, cols: list[Col]) -> str:
    items = "".join(f'<tr><td><a href="Details.aspx?id={x.key}">{esc(x.title)}</a></td></tr>'
                    for x in cols if x.author == c.author)
    return _page(f"الوطن أون لاين :: {c.author}", f"""<span id="ctl00_cphMain_lblWriterName" class="WriterName">{esc(c.author)}</span>
<span class="WriterCount">عدد المقالات: {c.article_count}</span><table>{items}</table>""")


def _rss(cols: list[Col]) -> str:
    # The local time with a "GMT" label: what such a feed really says.
    items = "\n".join(f"""<item><title>{esc(c.title)}</title><link>http://HOST{_path(c)}</link>
<description>{esc(c.paragraphs[0][:140])}...</description><author>{esc(c.author)}</author>
<pubDate>{c.published.strftime("%a, %d %b %Y %H:%M:%S")} GMT</pubDate></item>""" for c in cols)
    return f"""<?xml version="1.0" encoding="windows-1256"?>
<rss version="2.0"><channel><title>الوطن أون لاين - كتاب الوطن</title><link>http://HOST/Writers/Default.aspx?SectionID=4</link>
<description>مقالات كتاب صحيفة الوطن</description><language>ar-sa</language>
{items}
</channel></rss>
"""


def build() -> tuple[dict[str, Any], dict[str, Any]]:
    cols = _columns()
    files: dict[str, Any] = {
        "robots.txt": "User-agent: *\nDisallow: /Admin/\nDisallow: /Ads/\nDisallow: /Search.aspx\n",
        "Writers/Default.aspx/SectionID=4.html": _listing(cols).encode("cp1256"),
        "rss/writers.xml": _rss(cols).encode("cp1256"),
        "_headers.json": '{"types": {".html": "text/html", ".xml": "text/xml"}}',
    }
    for c in cols:
        files[f"Writers/Details.aspx/id={c.key}.html"] = _column(c, cols).encode("cp1256")
        files[f"Writers/Writer.aspx/id={c.author_slug}.html"] = _writer_page(c, cols).encode("cp1256")
    data = truth(cols, {c.key: _path(c) for c in cols}, {c.key: _writer(c) for c in cols},
                 listing="/Writers/Default.aspx?SectionID=4", older=[], timezone=TZ,
                 now=TODAY.isoformat(), lacks=["credentials"],
                 model="legacy ASP.NET WebForms (Al-Watan-like), windows-1256 served as bare "
                       "text/html, ?id= URLs, no canonical/OG/JSON-LD, Word-pasted bodies, Hijri "
                       "«الموافق» Gregorian date + time span, views, RSS with local time as GMT")
    return files, data
