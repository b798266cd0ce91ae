package org.magmap.patch;

import java.nio.charset.StandardCharsets;

/** Stable 64-bit hashes for seeding (independent of JVM, platform and String.hashCode). */
public final class Hashing {
    private Hashing() {}

    /** FNV-1a over the UTF-8 bytes. */
    public static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** SplitMix64's finaliser. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
