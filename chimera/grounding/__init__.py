"""Checks that keep a report honest, no LLM involved: the figures check (`figures`, with
`figure_text` finding the figures in a text and `known` the figures Chimera knows), and
persona compliance (`compliance`)."""
