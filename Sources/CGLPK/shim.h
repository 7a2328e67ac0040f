// SPDX-License-Identifier: GPL-3.0-or-later
#ifndef CGLPK_SHIM_H
#define CGLPK_SHIM_H
#include <glpk.h>
#endif
