/* SPDX-License-Identifier: Apache-2.0 */
#ifndef OV_VERIFY_H
#define OV_VERIFY_H
#endif
