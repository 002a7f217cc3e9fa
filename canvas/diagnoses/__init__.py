"""Diagnoses: which documented cause of a passback error applies in the real course."""

from canvas.diagnoses.model import Check, CourseInfo, Diagnosis, Item, Suspect
from canvas.diagnoses.run import Denied, Diagnoser

__all__ = ["Check", "CourseInfo", "Denied", "Diagnoser", "Diagnosis", "Item", "Suspect"]
