/* Octet generated-code runtime: types and small helpers shared by every generated kernel.
 * Compiled with -ffp-contract=off -fwrapv (see CCompiler.FLAGS); never with -ffast-math. */
#ifndef OCTET_RUNTIME_H
#define OCTET_RUNTIME_H
#include <stdint.h>
#include <stddef.h>
#include <math.h>

#define OCTET_EXPORT __attribute__((visibility("default")))
/* A NaN first operand comes out unchanged (as Java's Math.max and ONNX's Relu/Clip keep NaN); integer arguments
 * behave as usual. */
#define OCTET_MIN(a, b) ((a) > (b) ? (b) : (a))
#define OCTET_MAX(a, b) ((a) < (b) ? (b) : (a))

#endif
