"""One QWizardPage subclass per wizard step."""
