"""Checks that keep a report honest, no LLM involved: the figures check (`figures`, with
`figure_text` finding the figures in a text, `known` the figures Chimera knows and `lists`
how a list of findings is read as one text), and persona compliance (`compliance`)."""
