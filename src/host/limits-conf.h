/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The memlock limit pam_limits gives a user at login: limits.conf and
 * limits.d/NAME.conf read as Linux-PAM reads them, through the sysroot seam.
 */
#ifndef VP_LIMITS_CONF_H
#define VP_LIMITS_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/limits-conf.h"

/* limits.conf, then limits.d/NAME.conf in file-name order (the vendor dirs merged in). */
int lc_resolve(struct lc_limit *l, const struct lc_user *u);

#endif
