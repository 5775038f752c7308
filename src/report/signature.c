/* signature.c: a crash's identity for triage, from its verdict and the shape
 * of its minimized trace.
 * Entry point: regression_signature.  Never runs a program or writes a file.
 */
#include <stdio.h>

#include "report/fnv.h"
#include "report/signature.h"

const char *regression_signature(const struct exec *x)
{
	static char sig[64];
	uint32_t h = fnv1a(FNV1A_INIT, &x->verdict.kind, sizeof(x->verdict.kind));

	for (int i = 0; i < x->nsteps; i++) {
		uint8_t shape[2] = { x->trace[i].cpu, x->trace[i].kind };

		h = fnv1a(h, shape, sizeof(shape));
	}
	snprintf(sig, sizeof(sig), "%s-%08x", verdict_names[x->verdict.kind], h);
	return sig;
}
