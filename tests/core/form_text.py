"""Hypothesis strategies for what people type into forms, shared by the form-rendering tests."""

from hypothesis import strategies as st

# Text a user or an editor could put anywhere: quotes, markup, entities, unicode, newlines.
texts = st.text(
    st.one_of(st.sampled_from("\"'<>&;= \n"), st.characters(codec="utf-8")), max_size=12
)
# Error messages are %-formatted with their params: a literal % is written %%.
messages = texts.map(lambda text: text.replace("%", "%%"))
