/* SPDX-License-Identifier: Apache-2.0 */
#ifndef OV_SOURCE_H
#define OV_SOURCE_H
#endif
