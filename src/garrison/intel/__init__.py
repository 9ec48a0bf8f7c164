"""Threat intelligence: the MITRE ATLAS and OWASP catalogues (``garrison.intel.catalog``), and
later STIX/TAXII, MISP and indicator matching. Catalogues are data shipped in the package; nothing
here reaches the network at import or at run time."""
