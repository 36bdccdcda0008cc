//! Pieces every benchmark needs: a seeded generator, sizes from the environment, and the
//! process's peak memory. Each bench includes this with `mod common;` and uses what it needs.
#![allow(dead_code)]

/// SplitMix64: a fixed seed gives the same generated data on every run and machine.
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A size from the environment, or `default` when unset or not a number.
pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Peak resident memory of this process (VmHWM) in MiB, where /proc is readable.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// How much faster this machine runs a CPU-bound loop (no memory traffic, no locks) on
/// `threads` threads than on one: the ceiling for any speed-up measured beside it. Virtual
/// cores that share a physical one, or a machine busy with other work, show here first.
pub fn parallel_ceiling(threads: usize) -> f64 {
    fn spin(rounds: u64) -> u64 {
        let mut r = SplitMix(rounds);
        (0..rounds).fold(0, |acc, _| acc ^ r.next())
    }
    const ROUNDS: u64 = 200_000_000;
    let t = std::time::Instant::now();
    std::hint::black_box(spin(ROUNDS));
    let one = t.elapsed().as_secs_f64();
    let t = std::time::Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| std::hint::black_box(spin(ROUNDS)));
        }
    });
    let many = t.elapsed().as_secs_f64();
    threads as f64 * one / many
}

/// CPU time (user and system, all threads) this process has used so far, in seconds.
pub fn cpu_seconds() -> f64 {
    // SAFETY: getrusage writes into the zeroed struct it is given and reads nothing else.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
            return 0.0;
        }
        usage
    };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// Restricts this process to the first `cores` of the CPUs it may run on. Call it before
/// any thread starts: threads inherit the calling thread's set. Returns false where the
/// system refuses (or has fewer CPUs).
pub fn pin_to_cores(cores: usize) -> bool {
    // SAFETY: the cpu_set_t is a plain bit set, zeroed and filled through libc's own
    // macros; the calls read and write only that set for the calling thread (pid 0).
    unsafe {
        let mut allowed: libc::cpu_set_t = std::mem::zeroed();
        let size = std::mem::size_of::<libc::cpu_set_t>();
        if libc::sched_getaffinity(0, size, &mut allowed) != 0 {
            return false;
        }
        let mut chosen: libc::cpu_set_t = std::mem::zeroed();
        let mut n = 0;
        for cpu in 0..libc::CPU_SETSIZE as usize {
            if n == cores {
                break;
            }
            if libc::CPU_ISSET(cpu, &allowed) {
                libc::CPU_SET(cpu, &mut chosen);
                n += 1;
            }
        }
        n == cores && libc::sched_setaffinity(0, size, &chosen) == 0
    }
}
