package org.magmap.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressMeterTest {
    @Test
    void logsAtMostOncePerIntervalWithRateAndEta() {
        AtomicLong clock = new AtomicLong(0);
        List<String> lines = new ArrayList<>();
        ProgressMeter m = new ProgressMeter("simulate", "slabs", 100, 10_000, clock::get, lines::add);
        clock.set(5_000);
        m.add(10);
        assertTrue(lines.isEmpty(), "nothing before the interval has passed");
        clock.set(10_000);
        m.add(10); // 20 of 100 in 10 s: 2 slabs/s, 80 left -> 40 s
        assertEquals(List.of("simulate: 20/100 slabs (20.0%), 2.0 slabs/s, ETA 0:40"), lines);
        clock.set(12_000);
        m.add(10);
        assertEquals(1, lines.size(), "throttled");
        clock.set(20_000);
        m.add(70);
        String last = m.finish();
        assertEquals("simulate: done, 100 slabs in 0:20 (5.0 slabs/s)", last);
    }

    @Test
    void slowStagesGiveTheirRatePerMinuteOrPerHour() {
        AtomicLong clock = new AtomicLong(0);
        List<String> lines = new ArrayList<>();
        ProgressMeter m = new ProgressMeter("simulate", "runs", 20, 10_000, clock::get, lines::add);
        clock.set(90_000);
        m.add(3); // 3 runs in 90 s: 2 per minute, 17 left -> 8:30
        clock.set(7_200_000);
        m.add(1); // 4 runs in 2 h: 2 per hour
        assertEquals(
                List.of(
                        "simulate: 3/20 runs (15.0%), 2.0 runs/min, ETA 8:30",
                        "simulate: 4/20 runs (20.0%), 2.00 runs/h, ETA 8:00:00"),
                lines);
    }

    @Test
    void durationsFormatAsClockTime() {
        assertEquals("0:05", ProgressMeter.duration(4_600));
        assertEquals("2:03", ProgressMeter.duration(123_000));
        assertEquals("1:00:01", ProgressMeter.duration(3_601_000));
    }
}
