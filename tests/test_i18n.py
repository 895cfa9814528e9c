"""The Simplified Chinese catalogue: complete, compiled, covering the source, and what the pages actually show.

The catalogue is locale/zh_Hans/LC_MESSAGES/django.po, compiled to django.mo (both committed: a fresh machine may
have no GNU gettext). docs/translation.md says how to update them.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory

from accounts.roles import Role

BASE_DIR = Path(settings.BASE_DIR)
LC_MESSAGES = BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# The folders makemessages is told to skip (docs/translation.md), plus dot-folders, which it always skips.
IGNORED_DIRS = {"var", "test-artifacts", "node_modules", "__pycache__", "build"}
IGNORED_PATHS = {BASE_DIR / "static" / "vendor"}


# --- A small .po reader ---------------------------------------------------------------------------------------


@dataclass
class PoEntry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def parse_po(text: str) -> list[PoEntry]:  # noqa: C901 — a line-by-line state machine, one branch per kind of line
    """Entries of a .po file, header included (msgid ""). Handles flags, contexts, plurals and continued lines;
    obsolete (#~) entries are kept and marked."""
    entries: list[PoEntry] = []
    entry: PoEntry | None = None
    target: tuple[str, int | None] | None = None

    def start(lineno: int) -> PoEntry:
        new = PoEntry(line=lineno)
        entries.append(new)
        return new

    def append(value: str) -> None:
        assert entry is not None and target is not None
        name, index = target
        if name == "msgstr":
            entry.msgstr[index or 0] = entry.msgstr.get(index or 0, "") + value
        else:
            setattr(entry, name, (getattr(entry, name) or "") + value)

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            entry, target = None, None
            continue
        if line.startswith("#"):
            if entry is not None and target is not None and target[0] == "msgstr":
                entry, target = None, None  # a comment after a msgstr opens the next entry
            if line.startswith("#,"):
                entry = entry or start(lineno)
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, literal = match.groups()
            name = "msgstr" if keyword.startswith("msgstr") else keyword
            if entry is None or (name in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr"):
                entry = start(lineno)
            entry.obsolete = entry.obsolete or obsolete
            target = (name, int(index) if index is not None else None)
            if name == "msgstr":
                entry.msgstr.setdefault(target[1] or 0, "")
            else:
                setattr(entry, name, "")
            append(ast.literal_eval(literal))
        elif line.startswith('"') and target is not None:
            append(ast.literal_eval(line))
        else:
            raise ValueError(f"{PO_PATH.name}:{lineno}: cannot read {raw!r}")
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[PoEntry]:
    return parse_po(PO_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def messages(po_entries) -> list[PoEntry]:
    return [entry for entry in po_entries if entry.msgid and not entry.obsolete]


def test_the_po_reader_reads_what_it_should():
    sample = (
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgctxt "menu"\nmsgid "Hello "\n"%(name)s"\nmsgstr "你好 %(name)s"\n\n'
        'msgid "%(n)s unit"\nmsgid_plural "%(n)s units"\nmsgstr[0] "%(n)s 个单元"\n\n'
        '#~ msgid "Old"\n#~ msgstr "旧"\n'
    )
    header, hello, units, old = parse_po(sample)
    assert header.msgid == "" and "nplurals=1" in header.msgstr[0]
    assert (hello.msgctxt, hello.msgid, hello.msgstr) == ("menu", "Hello %(name)s", {0: "你好 %(name)s"})
    assert hello.flags == {"fuzzy", "python-format"}
    assert units.msgid_plural == "%(n)s units" and units.msgstr == {0: "%(n)s 个单元"}
    assert old.obsolete and old.msgstr == {0: "旧"}


# --- (a) the catalogue is complete --------------------------------------------------------------------------


def test_the_header_declares_chinese_with_one_plural_form(po_entries):
    header = po_entries[0]
    assert header.msgid == "" and header.msgctxt is None
    assert "fuzzy" not in header.flags
    fields = dict(line.split(": ", 1) for line in header.msgstr[0].splitlines() if ": " in line)
    assert fields["Language"] == "zh_Hans"
    assert fields["Plural-Forms"] == "nplurals=1; plural=0;"
    assert "charset=UTF-8" in fields["Content-Type"]


def test_every_entry_is_translated_and_none_is_fuzzy(messages):
    assert len(messages) > 100
    untranslated = [entry.msgid for entry in messages if not entry.msgstr or not all(entry.msgstr.values())]
    fuzzy = [entry.msgid for entry in messages if "fuzzy" in entry.flags]
    assert untranslated == []
    assert fuzzy == []


def test_plural_entries_have_exactly_one_form(messages):
    plurals = [entry for entry in messages if entry.msgid_plural is not None]
    assert plurals, "the catalogue has a plural entry (the unit count)"
    assert [entry.msgid for entry in plurals if set(entry.msgstr) != {0}] == []


_PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_]\w*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrx%]|\{\{\s*[\w.]+\s*\}\}")


def test_placeholders_are_kept(messages):
    def placeholders(text: str) -> list[str]:
        return sorted(_PLACEHOLDER.findall(text))

    wrong = [
        (entry.msgid, translation)
        for entry in messages
        for translation in entry.msgstr.values()
        if placeholders(translation) != placeholders(entry.msgid_plural or entry.msgid)
    ]
    assert wrong == []


def test_translations_are_chinese(messages):
    """A msgstr copied from the msgid is an entry nobody translated. Punctuation becomes Chinese punctuation."""
    same_on_purpose: set[str] = set()
    has_han = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    assert [e.msgid for e in messages if e.msgid not in same_on_purpose and not has_han.search(e.msgstr[0])] == []


# --- (b) the compiled catalogue matches the .po ---------------------------------------------------------------


def test_the_mo_file_holds_every_translation_of_the_po(messages):
    assert MO_PATH.exists(), "run: python manage.py compilemessages --ignore=.venv"
    with MO_PATH.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.info().get("plural-forms") == "nplurals=1; plural=0;"
    stale = []
    for entry in messages:
        if entry.msgid_plural is not None:
            for n in (1, 2, 5):
                got = (
                    compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                    if entry.msgctxt is not None
                    else compiled.ngettext(entry.msgid, entry.msgid_plural, n)
                )
                if got != entry.msgstr[0]:
                    stale.append((entry.msgid, got, entry.msgstr[0]))
        else:
            got = (
                compiled.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt is not None
                else compiled.gettext(entry.msgid)
            )
            if got != entry.msgstr[0]:
                stale.append((entry.msgid, got, entry.msgstr[0]))
    assert stale == [], "django.mo is out of date: run python manage.py compilemessages --ignore=.venv"


# --- (c) every translatable string in the source is in the catalogue -------------------------------------------
#
# This is a lighter stand-in for makemessages, good enough to catch a string someone wrapped but did not add:
# - Python files are read with `ast`: calls of _ / gettext / gettext_lazy / gettext_noop / pgettext(_lazy) /
#   ngettext(_lazy) / npgettext(_lazy), by name or as an attribute, whose message arguments are string literals
#   (adjacent literals are already joined by the parser). Calls with a variable or f-string are not checked, and
#   neither is a gettext function imported under any other alias.
# - Templates (.html, .txt) are read with regular expressions: {% translate/trans "..." %} with an optional
#   context "..." / noop / as var; _("...") inside tags and filters; {% blocktranslate/blocktrans %} blocks
#   (with, count, context, trimmed and asvar are understood; {{ var }} becomes %(var)s, % becomes %%).
#   Template comments ({# #} and {% comment %} blocks) are skipped, as makemessages skips them. Tags split over
#   several lines, literals with escaped quotes and template syntax inside blocktranslate other than {{ var }}
#   are not understood.

_GETTEXT_FUNCTIONS = {
    "_": ("msgid",),
    "gettext": ("msgid",),
    "gettext_lazy": ("msgid",),
    "gettext_noop": ("msgid",),
    "pgettext": ("msgctxt", "msgid"),
    "pgettext_lazy": ("msgctxt", "msgid"),
    "ngettext": ("msgid", "msgid_plural"),
    "ngettext_lazy": ("msgid", "msgid_plural"),
    "npgettext": ("msgctxt", "msgid", "msgid_plural"),
    "npgettext_lazy": ("msgctxt", "msgid", "msgid_plural"),
}


def _source_files(*suffixes: str):
    for path in sorted(BASE_DIR.rglob("*")):
        relative = path.relative_to(BASE_DIR).parts
        if path.suffix not in suffixes or not path.is_file():
            continue
        if any(part.startswith(".") or part in IGNORED_DIRS for part in relative[:-1]):
            continue
        if any(path.is_relative_to(ignored) for ignored in IGNORED_PATHS):
            continue
        yield path


def python_messages(source: str) -> list[dict]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        roles = _GETTEXT_FUNCTIONS.get(name)
        if roles is None or len(node.args) < len(roles):
            continue
        args = node.args[: len(roles)]
        if not all(isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in args):
            continue
        message = dict(zip(roles, (arg.value for arg in args), strict=True))
        found.append({"lineno": node.lineno, **message})
    return found


_LITERAL = r""""[^"]*"|'[^']*'"""
_TRANSLATE_TAG = re.compile(r"{%\s*(?:translate|trans)\s+(" + _LITERAL + r")(.*?)%}")
_UNDERSCORE = re.compile(r"\b_\(\s*(" + _LITERAL + r")\s*\)")
_BLOCK = re.compile(r"{%\s*(blocktranslate|blocktrans)\b(.*?)%}(.*?){%\s*end\1\s*%}", re.DOTALL)
_PLURAL_TAG = re.compile(r"{%\s*plural\s*%}")
_CONTEXT_OPTION = re.compile(r"\bcontext\s+(" + _LITERAL + r")")
_VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")
_COMMENT = re.compile(r"{#[^\n]*?#}|{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%}", re.DOTALL)


def _block_text(body: str, trimmed: bool) -> str:
    if trimmed:
        body = re.sub(r"\s*\n\s*", " ", body.strip())
    return _VARIABLE.sub(lambda m: f"%({m.group(1)})s", body.replace("%", "%%"))


def template_messages(source: str) -> list[dict]:
    source = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), source)  # keeps line numbers
    found = []

    def add(offset: int, **message) -> None:
        found.append({"lineno": source.count("\n", 0, offset) + 1, **message})

    for match in _TRANSLATE_TAG.finditer(source):
        literal, options = match.group(1), match.group(2)
        context = _CONTEXT_OPTION.search(options)
        add(match.start(), msgid=literal[1:-1], **({"msgctxt": context.group(1)[1:-1]} if context else {}))
    for match in _UNDERSCORE.finditer(source):
        add(match.start(), msgid=match.group(1)[1:-1])
    for match in _BLOCK.finditer(source):
        options, body = match.group(2), match.group(3)
        trimmed = re.search(r"\btrimmed\b", options) is not None
        context = _CONTEXT_OPTION.search(options)
        message = {"msgctxt": context.group(1)[1:-1]} if context else {}
        singular, *plural = _PLURAL_TAG.split(body, maxsplit=1)
        message["msgid"] = _block_text(singular, trimmed)
        if plural:
            message["msgid_plural"] = _block_text(plural[0], trimmed)
        add(match.start(), **message)
    return found


def test_the_template_extractor_understands_the_forms_we_use():
    source = (
        '{% translate "Sign in" %} {% trans \'Close\' %} {% translate "Stage" as label %}\n'
        '{{ x|default:_("system") }} {% translate "May" context "month" %}\n'
        "{% blocktranslate with name=user.name %}Welcome, {{ name }} (100%){% endblocktranslate %}\n"
        "{% blocktranslate count counter=n %}{{ counter }} unit{% plural %}{{ counter }} units{% endblocktranslate %}\n"
        "{% blocktranslate trimmed %}\n  One\n  two\n{% endblocktranslate %}\n"
        '{# {% translate "Commented out" %} #}{% comment %}\n{% translate "Also" %}\n{% endcomment %}'
    )
    messages = [{k: v for k, v in m.items() if k != "lineno"} for m in template_messages(source)]
    assert messages == [
        {"msgid": "Sign in"},
        {"msgid": "Close"},
        {"msgid": "Stage"},
        {"msgid": "May", "msgctxt": "month"},
        {"msgid": "system"},
        {"msgid": "Welcome, %(name)s (100%%)"},
        {"msgid": "%(counter)s unit", "msgid_plural": "%(counter)s units"},
        {"msgid": "One two"},
    ]


def test_the_python_extractor_understands_the_forms_we_use():
    source = (
        "from django.utils.translation import gettext_lazy as _, ngettext, pgettext\n"
        'a = _("Carriers")\n'
        'b = _("one " "line")\n'
        'c = ngettext("%(n)s unit", "%(n)s units", n)\n'
        'd = pgettext("month", "May")\n'
        "e = _(variable)\n"
        'f = translation.gettext("Attr")\n'
    )
    messages = [{k: v for k, v in m.items() if k != "lineno"} for m in python_messages(source)]
    assert messages == [
        {"msgid": "Carriers"},
        {"msgid": "one line"},
        {"msgid": "%(n)s unit", "msgid_plural": "%(n)s units"},
        {"msgctxt": "month", "msgid": "May"},
        {"msgid": "Attr"},
    ]


def test_every_translatable_string_in_the_source_is_in_the_catalogue(messages):
    catalogue = {entry.key: entry for entry in messages}
    found: list[tuple[str, dict]] = []
    for path in _source_files(".py"):
        found += [(f"{path.relative_to(BASE_DIR)}:{m['lineno']}", m) for m in python_messages(path.read_text("utf-8"))]
    for path in _source_files(".html", ".txt"):
        text = path.read_text("utf-8", errors="replace")
        found += [(f"{path.relative_to(BASE_DIR)}:{m['lineno']}", m) for m in template_messages(text)]
    assert len(found) > 100, "the extractors found the project's strings"

    missing = []
    for where, message in found:
        entry = catalogue.get((message.get("msgctxt"), message["msgid"]))
        if entry is None or entry.msgid_plural != message.get("msgid_plural"):
            missing.append(f"{where}: {message['msgid']!r}")
    assert missing == [], "run makemessages and translate the new entries (docs/translation.md)"


# --- (d)–(f) what the pages show --------------------------------------------------------------------------------

ENGLISH_NAV = ["Carriers", ">Home<", ">Space<", "Audit log", "Sign out", "Change password"]


@pytest.mark.django_db
def test_pages_are_in_chinese_by_default(users, client_for):
    client = client_for(users[Role.OPERATOR])
    for url in ("/", "/parks/"):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="zh-hans">' in html
        for text in ("载体", "临淄区齐智汇科技孵化中心", "创业苗圃", "孵化器", "分园", "临淄一体化孵化平台"):
            assert text in html, (url, text)
        for text in ("首页", "空间", "审计日志", "修改密码", "退出登录", "运营公司"):  # navigation and the role
            assert text in html, (url, text)
        for word in ENGLISH_NAV:
            assert word not in html, (url, word)


@pytest.mark.django_db
def test_a_browser_asking_for_chinese_of_china_gets_simplified_chinese(users, client_for):
    client = client_for(users[Role.BUREAU])
    html = client.get("/parks/", headers={"accept-language": "zh-CN,zh;q=0.9,en;q=0.8"}).content.decode()
    assert "载体" in html and "Carriers" not in html


@pytest.mark.django_db
def test_the_sign_in_page_is_in_chinese(client):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "登录" in html and "用户名" in html and "密码" in html  # 密码 comes from Django's own catalogue
    assert "Sign in" not in html and "Username" not in html


@pytest.mark.django_db
def test_switching_to_english_shows_english(users, client_for):
    client = client_for(users[Role.OPERATOR])
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/parks/"})
    assert response.status_code == 302 and response["Location"] == "/parks/"

    html = client.get("/parks/").content.decode()
    assert '<html lang="en">' in html
    for text in ("Carriers", "Big Data Industrial Park", "Seedbed", "Sign out", "Linzi Integrated Incubation Portal"):
        assert text in html, text
    assert "退出登录" not in html

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/parks/"})
    assert "退出登录" in client.get("/parks/").content.decode()


@pytest.mark.django_db
def test_the_403_page_is_in_chinese(users, client_for, own_park):
    response = client_for(users[Role.ENTERPRISE]).get(f"/parks/carriers/{own_park.pk}/edit/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in html and "返回首页" in html
    assert "Access denied" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [True, False])
def test_the_404_page_is_in_chinese(users, client_for, client, signed_in):
    client = client_for(users[Role.ENTERPRISE]) if signed_in else client
    response = client.get("/does-not-exist")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html and "返回首页" in html
    assert "Page not found" not in html


def test_the_500_page_is_in_chinese():
    from accounts.views import server_error

    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器错误" in html and "Server error" not in html


def test_templates_write_no_chinese_outside_the_catalogue():
    """Words and punctuation a template writes itself (not from data) go through the catalogue: a full-width
    parenthesis or 、 written in the template shows on English pages too."""
    import re
    from pathlib import Path

    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    translated = re.compile(
        r"{%\s*blocktranslate.*?%}.*?{%\s*endblocktranslate\s*%}|{%\s*translate\s.*?%}|{#.*?#}|{%\s*comment\s*%}.*?"
        r"{%\s*endcomment\s*%}",
        re.S,
    )
    root = Path(__file__).resolve().parent.parent
    found = []
    for path in sorted(root.glob("**/templates/**/*.html")):
        if ".venv" in path.parts or "var" in path.parts:
            continue
        text = translated.sub("", path.read_text(encoding="utf-8"))
        found.extend(f"{path.relative_to(root)}: {line.strip()[:80]}" for line in text.splitlines() if cjk.search(line))
    assert found == []


@pytest.mark.django_db
def test_form_labels_begin_with_a_capital_in_english(users, client_for):
    """Field labels are kept in lower case to be shared with the models' verbose names; the form template puts the
    capital on, as Django does for labels it takes from a model."""
    from enterprises.tests.factories import EnterpriseFactory

    client = client_for(users[Role.OPERATOR])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    enterprise = EnterpriseFactory()

    html = client.get(f"/incubation/enterprises/{enterprise.pk}/residencies/add/").content.decode()

    for label in ("Carrier", "Stage", "Start date", "Planned end date", "Agreement number"):
        assert re.search(rf'<label class="form-label" for="id_\w+">{label}\b', html), label
    assert not re.search(r'<label class="form-label" for="id_\w+">[a-z]', html)
