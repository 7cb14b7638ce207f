"""The end of the article: boilerplate.page-edges cuts the page at the first heading of the furniture under it.

An author's bio, teaser titles with summaries and newsletter pitches hold prose
of their own, so the page's shape alone keeps them; their heading tells where
the article ends.  The same headings also stand inside articles (an inline
"Related Articles" box, a section called "Comments"), and then nothing may go.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Config, clean_text
from cleaner.rules import load_ruleset
from cleaner.stages.boilerplate.lines import analyse
from cleaner.stages.boilerplate.article_end import article_end_line

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
OPTIONS = next(r for r in load_ruleset().rules if r.id == "boilerplate.page-edges").options["article_end"]

MENU = "Home\nRecipes\nBaking School\nShop\nContact\n\n"
PARAGRAPHS = [
    "A sourdough starter is a living culture of wild yeast and lactic acid bacteria, and it works at its own pace, "
    "so bakers who are used to packet yeast are often surprised that a loaf takes a whole day.",
    "The reason is the number of yeast cells: a spoonful of dried yeast holds billions of cells that all start "
    "working at once, while a starter holds far fewer, and they share their food with the bacteria.",
    "Temperature matters more than anything else, because a starter kept warm can double in four hours, while the "
    "same starter in a cold kitchen may need ten or twelve hours to do the same work.",
    "Flour matters too, since whole grain flour carries more of the sugars and minerals the culture feeds on, so a "
    "dough with some rye in it rises faster than one made with white flour alone.",
    "Finally, time is part of the recipe, and the long rise is what lets the bacteria make the acids that keep the "
    "bread fresh for days, so a slow dough is not a failed dough at all.",
]
LATE_SECTIONS = [
    "Shaping comes after the long rise, and it asks for a light hand, because every fold presses out some of the "
    "gas the culture has made during the day, and the loaf will not get it back in the oven.",
    "Scoring the top of the loaf with a sharp blade lets it open where the baker wants it to, instead of tearing "
    "along its side, and the pattern of the cuts is where many bakers sign their bread.",
    "Baking in a covered pot keeps the steam around the loaf for the first twenty minutes, so the crust stays soft "
    "long enough for the bread to spring up before it sets and browns.",
]


def end_line(text: str, **options) -> int | None:
    return article_end_line(analyse(text), **{**OPTIONS, **options})


def page(*blocks: str) -> str:
    return MENU + "\n\n".join(blocks) + "\n"


def test_the_page_ends_at_the_author_box_under_the_article():
    text = page(*PARAGRAPHS, "About the Author",
                "Clara Mendes has baked bread for twenty years and teaches weekend courses at her bakery in Porto.")
    assert text.split("\n")[end_line(text)] == "About the Author"


def test_a_heading_above_most_of_the_prose_is_not_the_end():
    text = page(PARAGRAPHS[0], "About the Author", *PARAGRAPHS[1:])
    assert end_line(text) is None


def test_an_inline_teaser_box_with_the_article_resuming_under_it_is_not_the_end():
    # Below the box, a run of paragraphs longer than max_box_run (set low
    # here to keep the page short): the article goes on.
    box = "Related Articles\n\nHow to Feed a Starter\n\nFive Mistakes With Rye Flour"
    text = page(*PARAGRAPHS, box, *LATE_SECTIONS[:2])
    assert end_line(text, max_box_run=60) is None
    # The same paragraphs under a heading that boxes do not have: the end.
    text = page(*PARAGRAPHS, "About the Author", *LATE_SECTIONS[:2])
    assert text.split("\n")[end_line(text, max_box_run=60)] == "About the Author"
    # The box with only teasers under it ends the article.
    text = page(*PARAGRAPHS, box, "Pizza Dough for Beginners", "Privacy Policy")
    assert text.split("\n")[end_line(text, max_box_run=60)] == "Related Articles"


def test_a_bare_heading_over_a_paragraph_titles_a_section_of_the_article():
    section = ("Comments\n\nComments in a recipe card are the notes the baker adds by hand, and they are often the most "
               "useful part of an old family recipe, written after years of baking it.")
    text = page(*PARAGRAPHS, section)
    assert end_line(text) is None
    text = page(*PARAGRAPHS, "Comments\n\nJane\n\nLovely bread, thank you!")
    assert text.split("\n")[end_line(text)] == "Comments"


def test_a_letter_signed_under_an_about_heading_is_not_a_web_page():
    letter = ("Dear Anna,\n\n" + "\n\n".join(PARAGRAPHS) + "\n\nAbout the Author\n\nWith love,\nMaria\n")
    assert clean_text(letter, Config(select=("boilerplate",))).text == letter


def test_sample_keeps_every_paragraph_and_loses_the_bio_and_the_teasers():
    raw = (SAMPLES / "dirt" / "boilerplate-article-end.txt").read_text(encoding="utf-8")
    text = clean_text(raw, Config(select=("whitespace",))).text
    result = clean_text(text, Config(select=("boilerplate",)))
    paragraphs = [line for line in text.split("\n") if len(line.split()) > 30 and "Clara Mendes has" not in line]
    assert len(paragraphs) == 5 and all(p in result.text for p in paragraphs)
    # The inline box between two paragraphs of the article stays where it is.
    assert "Related Articles" in result.text
    assert result.text.endswith("it is a dough that is still working on its flavour.\n")
    bio = [e for e in result.edits if "About the Author" in e.before]
    assert len(bio) == 1 and bio[0].rule == "boilerplate.page-edges"
    assert clean_text(result.text, Config(select=("boilerplate",))).text == result.text


# --------------------------------------------------------------------------- the headline

from cleaner.stages.boilerplate.article_end import headline_line  # noqa: E402

TITLE = "Why Sourdough Rises Slowly | The Home Baker"


def headline(text: str) -> int | None:
    return headline_line(analyse(text))


def test_the_headline_is_the_line_that_repeats_the_title_without_the_site_name():
    text = TITLE + "\n\nHome\nThe Home Baker\nWhy Sourdough Rises Slowly\n\n" + PARAGRAPHS[0] + "\n"
    # The site's name alone is one side of the title too: its first copy comes first.
    assert text.split("\n")[headline(text)] == "The Home Baker"
    text = TITLE + "\n\nHome\nRecipes\nWhy Sourdough Rises Slowly\n\n" + PARAGRAPHS[0] + "\n"
    assert text.split("\n")[headline(text)] == "Why Sourdough Rises Slowly"
    assert headline("Why Sourdough Rises Slowly\n\nHome\n" + PARAGRAPHS[0] + "\n") is None


def test_menus_above_the_headline_go_and_the_article_stays_whole():
    menus = ("Home\nShop\nCourses\nOur flour is milled in small batches from wheat grown on three farms nearby\n"
             "Weekend courses for home bakers, from the first starter to a loaf worth giving away\nBlog\nContact\n\n")
    page = TITLE + "\n\n" + menus + "Why Sourdough Rises Slowly\n\nBy Clara Mendes\n\n" + "\n\n".join(PARAGRAPHS) + "\n"
    out = clean_text(page, Config(select=("boilerplate",))).text
    assert out.startswith("Why Sourdough Rises Slowly\n\nBy Clara Mendes\n\n")
    assert all(p in out for p in PARAGRAPHS)


def test_a_title_repeated_below_the_article_does_not_cut_the_article():
    # The headline copy stands under most of the prose (a footer link): the page above it stays.
    page = (TITLE + "\n\nHome\nRecipes\nShop\n\n" + "\n\n".join(PARAGRAPHS)
            + "\n\nWhy Sourdough Rises Slowly\nPrivacy Policy\n")
    out = clean_text(page, Config(select=("boilerplate",))).text
    assert all(p in out for p in PARAGRAPHS)


# --------------------------------------------------------------------------- the author box

BIO = ("Clara Mendes\n\nContributing Writer\n\nClara Mendes is a food writer and baker who has taught weekend "
       "bread courses in Porto for twenty years, and she writes about flour, fermentation and the history of bread "
       "for magazines in three countries.")


def test_an_author_box_under_the_article_ends_it():
    text = page(*PARAGRAPHS, BIO, "Privacy Policy")
    assert text.split("\n")[end_line(text)] == "Clara Mendes"


def test_a_product_named_and_described_at_the_end_of_a_list_is_not_an_author_box():
    item = ("Rye Starter Kit\n\nRye Starter Kit is a jar of live rye culture with a feeding guide, enough flour for "
            "two weeks and a linen cloth to cover the jar while it works.")
    text = page(*PARAGRAPHS, item, "Privacy Policy")
    assert end_line(text) is None


def test_an_author_box_named_after_about_and_told_of_as_she_ends_the_article():
    bio = ("About Clara Mendes\n\nClara holds a diploma from the baking school in Lyon, and she has run her own "
           "bakery in Porto since 2009, where she also teaches weekend courses.")
    text = page(*PARAGRAPHS, bio, "Privacy Policy")
    assert text.split("\n")[end_line(text)] == "About Clara Mendes"


def test_people_named_and_described_one_after_another_are_a_list_not_an_author_box():
    # A list of bakers, each with a paragraph about him or her: the last
    # entries stand below most of the prose, but the first box past the
    # middle of the page has too much of the list under it.
    bakers = [f"{first} {last}\n\n{first} {last} has baked in {town} since {year}, and {pronoun} is known for "
              f"{bread}, which people queue for on Saturday mornings before the shop opens its doors."
              for first, last, town, year, pronoun, bread in (
                  ("Ana", "Sousa", "Porto", 1998, "she", "rye loaves"), ("Jonas", "Berg", "Malmo", 2004, "he", "cardamom buns"),
                  ("Marta", "Rossi", "Turin", 2011, "she", "focaccia"), ("Pierre", "Blanc", "Lyon", 1995, "he", "baguettes"),
                  ("Eva", "Novak", "Brno", 2015, "she", "poppy seed rolls"), ("Tom", "Hughes", "Bath", 2008, "he", "sourdough"))]
    text = page(PARAGRAPHS[0], *bakers)
    assert end_line(text) is None


# --------------------------------------------------------------------------- dated teasers without a heading

TEASERS = [("Why Rye Bread Keeps Longer", "Rye holds water in its gums, so a rye loaf stays moist for a week.", "March 3, 2026"),
           ("A Starter in Five Days", "Flour, water and patience: the schedule we use in class.", "February 26, 2026"),
           ("The Baker's Percentages", "How to scale any bread recipe up or down without a calculator.", "February 19, 2026"),
           ("Oven Spring Explained", "What happens in the first ten minutes of a bake.", "February 6, 2026")]


def teasers(items) -> str:
    return "\n".join(f"{title}\n{summary}\n{date}" for title, summary, date in items)


def test_a_list_of_dated_teasers_newest_first_ends_the_article():
    text = page(*PARAGRAPHS, "Blog", teasers(TEASERS), "Privacy Policy")
    assert text.split("\n")[end_line(text)] == "Blog"


def test_dated_items_in_date_order_are_an_agenda_not_teasers():
    agenda = [(title, summary, date) for title, summary, date in reversed(TEASERS)]
    text = page(*PARAGRAPHS, "Upcoming classes", teasers(agenda))
    assert end_line(text) is None


def test_dated_teasers_are_only_looked_for_below_most_of_the_prose():
    text = page(PARAGRAPHS[0], teasers(TEASERS), *PARAGRAPHS[1:])
    assert end_line(text) is None


def test_a_republishing_box_with_the_article_again_as_html_is_cut_at_its_heading():
    # The box's embed code repeats the whole article as HTML on one line: it
    # is no paragraph, so the box's heading stands below most of the prose.
    html = ("<h1>Why Sourdough Takes a Day</h1> <p class=\"byline\">by Clara Mendes</p> "
            + " ".join(f"<p>{p}</p>" for p in PARAGRAPHS) + " This story first appeared on Bread Notes.")
    text = page(*PARAGRAPHS, "Republish This Story",
                "Republish our articles for free, online or in print, under a Creative Commons license.",
                "Please credit the writer and link back to the article, and do not edit the text beyond small changes.",
                html)
    assert text.split("\n")[end_line(text)] == "Republish This Story"


@pytest.mark.parametrize("heading", [
    "Share this resource", "Share on:", "Sharing is caring!", "Like this story?", "How useful was this post?",
    "Rate this article", "Be the first to comment", "Add a new comment", "Comments are closed.",
    "Share your thoughts below", "Sign up to receive our newsletter", "More Recipes", "More Easy Bread Recipes",
    "More news in this category", "Read more of our articles...", "See more reviews", "Other popular posts",
    "Related Insights", "The Latest From the Blog", "More you might like", "You might also enjoy these posts",
    "If you liked this post you might also like", "Keep exploring this topic.", "Written by Clara Mendes",
    "Reviewed by Dr. Ana Silva", "Citations", "Article Sources:",
])
def test_headings_of_the_furniture_under_the_article_end_it(heading):
    text = page(*PARAGRAPHS, heading, "Bagels at Home", "Easy Focaccia", "Privacy Policy")
    assert text.split("\n")[end_line(text)] == heading


def test_teasers_whose_titles_read_as_prose_are_not_the_article_resuming():
    # Each teaser is a long title (no final stop) and a one-paragraph
    # summary; titles and summaries together would make a long run of
    # paragraphs, but a run of the article's paragraphs is finished sentences.
    teasers = "\n\n".join(
        f"Why the best bakers keep their {thing} in the fridge over the winter months\n\n"
        f"The {thing} slows down in the cold, so a baker who feeds it once a week can still bake on Saturday."
        for thing in ("starter", "levain", "rye sour"))
    text = page(*PARAGRAPHS, *LATE_SECTIONS, "Related Articles", teasers, "Privacy Policy")
    assert text.split("\n")[end_line(text, max_box_run=60)] == "Related Articles"
