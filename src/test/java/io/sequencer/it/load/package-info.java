/**
 * The integration tests that load the machine: a broadcast to 10,000 subscribers, 20,000 parked timers and the
 * pump's backlog, a step beyond the horizon, 900 fuzzed requests against a private emulator, and the demo run twice.
 * They keep their own package so that the build can start them before the short tests: failsafe takes classes in
 * reverse alphabetical order, and this package sorts first, so the short, mostly waiting tests fill the cores
 * around the long ones instead of the long ones finishing alone.
 */
package io.sequencer.it.load;
