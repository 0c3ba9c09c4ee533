// Returning freed heap memory to the system between the phases of a scan.
#pragma once

namespace telescreen::core {

// Gives the pages of freed heap memory back to the system, in every malloc
// arena. glibc otherwise keeps them: the extraction threads' arenas and
// the holes the crawl left stay resident while later phases grow the heap
// elsewhere, and the peak resident size is the sum. A few milliseconds; a
// no-op where the C library has no such call.
void ReleaseFreeMemory();

}  // namespace telescreen::core
