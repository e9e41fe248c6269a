// zlib for the amphora heartbeat envelope (Octavia compresses the JSON body with zlib level 9).
#include <zlib.h>
