/* SPDX-License-Identifier: Apache-2.0 */
#ifndef OV_CONFDIR_H
#define OV_CONFDIR_H
#endif
