/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pieces of output several commands share. */
#ifndef VP_RENDER_H
#define VP_RENDER_H

#include "model/classify.h"
#include "render/jsonw.h"

/*
 * The CLASSES fields of inspect's and map's JSON (an interface: add, never
 * rename): unknown_bytes ... chargeable_bytes, swapped_bytes, unscanned_bytes.
 */
void json_class_fields(struct jsonw *w, const struct class_bytes *cb);

#endif
