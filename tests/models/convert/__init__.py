"""Tests of tfshift convert."""
