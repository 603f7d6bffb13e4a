/* For the Wine test only (scripts/test-windows.sh): Wine 8.0 has no bcryptprimitives.dll, whose
 * ProcessPrng Rust's standard library imports on Windows (every Windows 10/11 and Server 2016+
 * has it), so the .exe would not start (status c0000135). This stub, built with mingw-w64 and put
 * in the Wine prefix's system32, answers ProcessPrng with advapi32's RtlGenRandom
 * (SystemFunction036). It is never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
