"""Normalising text into tokens whose offsets point back into the original text."""
