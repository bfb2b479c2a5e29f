"""The message checker: is a collection message lawful, pressure, a violation, or a scam?"""
