"""Discovery providers: vSphere (pyvmomi), VMX folders, OVF/OVA, VirtualBox, and the built-in demo."""
