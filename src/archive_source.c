/* SPDX-License-Identifier: Apache-2.0 */
/* Placeholder: implemented separately. */
#include "config.h"
