"""boilerplate.contents-list: a table of contents box goes, the article's headings stay."""

from __future__ import annotations

from cleaner import Config, clean_text

ONLY_THIS = Config(select=("boilerplate",))

SECTIONS = [
    ("Why Sourdough Rises Slowly",
     "A starter holds far fewer yeast cells than a spoonful of dried yeast, and they share their food with the "
     "bacteria that give the bread its sour taste, so the dough takes its time."),
    ("How Temperature Changes the Rise",
     "A starter kept at twenty-six degrees can double in four hours, while the same starter in a cold kitchen may "
     "need ten or twelve hours to do the same work."),
    ("What Whole Grain Flour Does",
     "Whole grain flour carries more of the sugars and minerals the culture feeds on, so a dough with some rye in "
     "it rises faster than one made with white flour alone."),
]
ARTICLE = "\n\n".join(f"{title}\n\n{text}" for title, text in SECTIONS) + "\n"
MENU = "Home\nRecipes\nShop\nContact\n\n"


def test_the_box_goes_and_every_heading_of_the_article_stays():
    box = "Table of Contents\nToggle\n" + "\n".join(f"{k}. {title}" for k, (title, _) in enumerate(SECTIONS, 1))
    intro = ("Sourdough bread takes a whole day from mixing to baking, and bakers who are used to packet yeast are "
             "often surprised by it. Here is why, and what you can do about it.\n\nNone of it is hard, and none of "
             "it needs special tools: a warm corner of the kitchen, a bag of rye flour and some patience will do, "
             "and the bread will be better for the wait.")
    page = MENU + "Sourdough, Slowly\n\nBy Clara Mendes\n\n" + intro + "\n\n" + box + "\n\n" + ARTICLE
    result = clean_text(page, ONLY_THIS)
    assert "Table of Contents" not in result.text and "Toggle" not in result.text
    for title, text in SECTIONS:
        assert result.text.count(title) == 1 and text in result.text
    assert "boilerplate.contents-list" in result.counts
    assert clean_text(result.text, ONLY_THIS).text == result.text


def test_a_list_under_a_contents_heading_that_the_page_does_not_repeat_stays():
    page = MENU + "What Is in the Box\n\nContents\nA jar of starter\nA bag of rye flour\nA linen cloth\n\n" + ARTICLE
    assert "A jar of starter\nA bag of rye flour\nA linen cloth\n" in clean_text(page, ONLY_THIS).text


def test_a_report_without_navigation_keeps_its_contents_page():
    report = ("Contents\n" + "\n".join(title for title, _ in SECTIONS) + "\n\n" + ARTICLE)
    assert clean_text(report, ONLY_THIS).text == report
