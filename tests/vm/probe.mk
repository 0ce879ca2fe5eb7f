# tests/vm/probe.mk — guest-side test programs linked with vfio-pinctl's own objects.
# Included by the top Makefile (uses its CC, ALL_CFLAGS, LIBOBJS, PKG_LIBS, LDFLAGS).
# tests/vm/t-iommufd-backend.sh ships build/iommufd-probe into the guest (--file).

VM_PROBES := build/iommufd-probe

build/iommufd-probe: tests/vm/iommufd-probe.c $(LIBOBJS) $(wildcard src/*.h src/*/*.h) | build
	@echo '  LD      $@'
	@$(CC) $(ALL_CFLAGS) -o $@ $< $(LIBOBJS) $(PKG_LIBS) $(LDFLAGS)

.PHONY: vm-probes
vm-probes: $(VM_PROBES)
