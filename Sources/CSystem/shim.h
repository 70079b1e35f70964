/* Linux interfaces that Glibc's Swift module does not bring: statfs (file-system magic). */
#include <sys/vfs.h>
