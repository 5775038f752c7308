/* test_decode.c: the binary form byte by byte (src/lang/decode.c's layout:
 * config, ops, schedule, the releases owed) as table rows (the
 * contract's rules are tests/test_contract.c's).  Needs no execution.
 */
#include <stdlib.h>
#include <string.h>

#include "lang/contract.h"
#include "lang/program.h"
#include "test.h"

/* Table: bytes in, the decoded program's text out, each row with its intent. */
TEST(decode_table)
{
	static const struct {
		const char *intent;
		uint8_t in[16];
		size_t len;
		const char *out;
	} rows[] = {
		{ "config 0x03: cpus code 3 is 2 cpus, as code 0; op 0x02 runs on cpu 2 % 2",
		  { 0x03, 0x02, 0x00, 0 }, 4,
		  "pages 16\nslots 1\ncache 0\ncpu 0: lookup 0\ncpu 1:\n" },
		{ "config 0x02: 4 cpus; op 0x02 runs on cpu 2",
		  { 0x02, 0x02, 0x00, 0 }, 4,
		  "pages 16\nslots 1\ncache 0\ncpu 0:\ncpu 1:\ncpu 2: lookup 0\ncpu 3:\n" },
		{ "the schedule never takes the config byte: 15 asked of 2 bytes gives none",
		  { 0x00, 0x0f }, 2,
		  "pages 16\nslots 1\ncache 0\ncpu 0:\ncpu 1:\n" },
		{ "the schedule takes what is left after the config: 15 asked of 3 bytes gives one, a run of 4",
		  { 0x00, 0x0d, 0x0f }, 3,
		  "pages 16\nslots 1\ncache 0\ncpu 0:\ncpu 1:\nschedule: 1 1 1 1\n" },
		{ "intent 6 puts a ref of an allocation before its free; the end frees it",
		  { 0x00, 0x20, 0x00, 0x28, 0x00, 0x30, 0x00, 0 }, 8,
		  "pages 16\nslots 1\ncache 0\ncpu 0: alloc 0 a; ref a; put a; free a\ncpu 1:\n" },
		{ "intent 7 frees it first; the end puts the ref",
		  { 0x00, 0x20, 0x00, 0x28, 0x00, 0x38, 0x00, 0 }, 8,
		  "pages 16\nslots 1\ncache 0\ncpu 0: alloc 0 a; ref a; free a; put a\ncpu 1:\n" },
		{ "no ref on an owner's non-compound order-2 block: it becomes a lookup; comp takes one",
		  { 0x00, 0x20, 0x02, 0x28, 0x00, 0x20, 0x06, 0x28, 0x01, 0 }, 10,
		  "pages 16\nslots 1\ncache 0\ncpu 0: alloc 2 a; lookup 0; alloc 2 b comp; ref b; free a; put b; "
		  "free b\ncpu 1:\n" },
		{ "config 0x64: 32 pages, 2 slots, none cached; get, remove, add of slot b % 2",
		  { 0x64, 0x08, 0x03, 0x10, 0x01, 0x19, 0x02, 0 }, 8,
		  "pages 32\nslots 2\ncpu 0: get 1 a; remove 1; put a\ncpu 1: add 0\n" },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		static struct program prog;
		char *text = NULL;
		size_t len;
		FILE *f;

		program_decode(&prog, rows[i].in, rows[i].len);
		f = open_memstream(&text, &len);
		program_print(f, &prog);
		fclose(f);
		CHECK(!strcmp(text, rows[i].out), "%s: got\n%swant\n%s", rows[i].intent, text, rows[i].out);
		CHECK(program_keeps_contract(&prog), "%s: breaks the contract", rows[i].intent);
		free(text);
	}
}
