/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI devices as sysfs shows them, with their names from pci.ids through the
 * program's one libpci context.  Every list of PCI devices comes from
 * pci_enumerate(), every vfio cdev from pci_vfio_cdev().
 */
#ifndef VP_HOST_PCI_H
#define VP_HOST_PCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/pci.h"

/* Pure: parse the sysfs `resource` file (first PCI_NUM_RESOURCES lines). */
int parse_pci_resource(const char *text, struct pci_bar *bars, size_t nbars);

/* One device: ids, class, driver, group, BARs, cdev and names.  -ENOENT: no such device. */
int pcidev_read(const char *bdf, struct pci_dev_info *d);
/* The same plus its role in its group (the kernel's rule, model/groups.c). */
int pci_entry_read(const char *bdf, struct pci_entry *e);
/* BDFs of every PCI device, sorted; *bdfs malloc()ed.  Live and --sysroot walk the same sysfs directory. */
int pci_enumerate(char (**bdfs)[BDF_LEN], size_t *n);
/* The entries of a sysfs directory of devices (names < BDF_LEN), sorted; keep NULL: all. */
int device_dir_names(const char *dir, bool (*keep)(const char *), char (**out)[BDF_LEN], size_t *n);
/*
 * N of the device's /dev/vfio/devices/vfioN (6.6+, CONFIG_VFIO_DEVICE_CDEV),
 * or -ENOENT.  The one place that decides it.
 */
int pci_vfio_cdev(const char *bdf);
/* The other way: the device behind /dev/vfio/devices/vfioN (its BDF), or -errno. */
int pci_vfio_cdev_device(int cdev, char *bdf, size_t size);

/* Is the PCI driver registered (its /sys/bus/pci/drivers/NAME)? */
bool pci_driver_present(const char *driver);

/*
 * Names from pci.ids, numeric where it lacks them (lspci's words: "Vendor
 * 1234", "Device 11e8", "Device 1234:11e8", "Class 00ff"): the one place
 * that decides how every command names a device.
 */
void pci_names(struct pci_dev_info *d);
void pci_name(unsigned vendor, unsigned device, char *buf, size_t size);
/* Drop the libpci context (names are looked up again on the next call). */
void pci_names_release(void);

#endif
