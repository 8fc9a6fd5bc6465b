"""The runtime under test is the one the server ships: put it first on the path."""

import os
import sys

RUNTIME = os.path.join(os.path.dirname(__file__), "..", "..", "main", "resources", "META-INF", "mosec", "python")
sys.path.insert(0, os.path.abspath(RUNTIME))
