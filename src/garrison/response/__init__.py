"""Response: incidents correlated from alerts, the alert/incident lifecycle, audit, suppression."""
