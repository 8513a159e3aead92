// zlib, from Debian's zlib1g-dev: gunzip for IDX files, deflate and CRC-32 for PNG.
#include <zlib.h>
