/* SPDX-License-Identifier: Apache-2.0 */
#ifndef OV_LAYOUT_H
#define OV_LAYOUT_H
#endif
