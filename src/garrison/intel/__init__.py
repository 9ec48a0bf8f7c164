"""Threat intelligence: the MITRE ATLAS and OWASP catalogues (``garrison.intel.catalog``), STIX
2.1 import and export, a TAXII 2.1 client and server, MISP and CSV feeds, and indicator matching
(``garrison.intel.index``, the ``indicators`` detector). Catalogues are data shipped in the
package; nothing here reaches the network at import time, and only configured feeds at run time.
"""

# The settings module needs garrison.config's SecretRef, and garrison.config imports the
# settings module: loading garrison.config first makes either import order work.
import garrison.config as _config  # noqa: F401
