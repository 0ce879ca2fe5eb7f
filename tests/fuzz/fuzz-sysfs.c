// SPDX-License-Identifier: GPL-2.0-or-later
/* Small sysfs/procfs values: fd link targets, fdinfo, PCI resource, BDFs, sizes, VmFlags words. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/pci.h"
#include "lib/util.h"
#include "host/vfiofds.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct pci_bar bars[PCI_NUM_RESOURCES];
	char *text = malloc(size + 1), out[256], again[BDF_LEN];
	uint64_t v;
	int g, c;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	vfio_fd_kind_of(text, &g, &c);
	fdinfo_syspath(text, out, sizeof(out));
	parse_pci_resource(text, bars, PCI_NUM_RESOURCES);
	/* A BDF the parser accepts comes out canonical: parsing that again is the identity. */
	if (!bdf_parse(text, out, BDF_LEN) && (bdf_parse(out, again, sizeof(again)) || strcmp(out, again)))
		abort();
	parse_size(text, &v);
	parse_u64(text, &v);
	/* Split at the first NUL-free half: a word list and a word. */
	if (size > 1) {
		text[size / 2] = '\0';
		has_word(text, text + size / 2 + 1);
	}
	free(text);
	return 0;
}
