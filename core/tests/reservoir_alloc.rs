//! The real-time path allocates nothing: a counting global allocator sees zero allocations
//! during `Esn::step`, `Reservoir::step`, `Rls::partial_fit_one`, `Nvar::step` and `Lsm::step`
//! (after the first call). Also prints the step latency at N = 100 (informative, not asserted).

use neuroquant::reservoir::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    f();
    ALLOCATIONS.load(Ordering::SeqCst) - before
}

#[test]
fn stepping_allocates_nothing() {
    let u: Vec<f64> = (0..600).map(|t| (t as f64 * 0.1).sin()).collect();
    let params = EsnParams::default()
        .reservoir(
            ReservoirParams::default()
                .units(100)
                .sr(0.9)
                .lr(0.5)
                .input_dim(1)
                .fb_dim(1)
                .noise_rc(1e-6)
                .seed(1),
        )
        .ridge(1e-6);
    let mut esn = Esn::new(params, 1).unwrap();
    esn.fit(
        &[Series {
            inputs: &u[..599],
            targets: &u[1..],
            steps: 599,
        }],
        50,
    )
    .unwrap();
    esn.step(&[0.1]).unwrap();
    let n = allocations_during(|| {
        for t in 0..1000 {
            esn.step(&[u[t % 600]]).unwrap();
        }
    });
    assert_eq!(n, 0, "Esn::step allocated");
    let start = std::time::Instant::now();
    for t in 0..20000 {
        std::hint::black_box(esn.step(&[u[t % 600]]).unwrap());
    }
    eprintln!(
        "Esn::step N=100 (test profile): {:.2} us",
        start.elapsed().as_secs_f64() / 20000.0 * 1e6
    );

    let mut r = esn.reservoir().clone();
    r.step(&[0.0], &[0.0]).unwrap();
    assert_eq!(
        allocations_during(|| {
            for _ in 0..100 {
                r.step(&[0.3], &[0.1]).unwrap();
            }
        }),
        0
    );

    let mut rls = Rls::new(RlsParams::default(), 20, 2).unwrap();
    let mut pred = [0.0; 2];
    let x = [0.5; 20];
    rls.partial_fit_one(&x, &[1.0, 2.0], &mut pred).unwrap();
    assert_eq!(
        allocations_during(|| {
            for _ in 0..100 {
                rls.partial_fit_one(&x, &[1.0, 2.0], &mut pred).unwrap();
            }
        }),
        0
    );

    let mut nv = Nvar::new(NvarParams::default().input_dim(3)).unwrap();
    nv.step(&[1.0, 2.0, 3.0]).unwrap();
    assert_eq!(
        allocations_during(|| {
            for _ in 0..100 {
                nv.step(&[1.0, 2.0, 3.0]).unwrap();
            }
        }),
        0
    );

    let mut lsm = Lsm::new(LsmParams::default().units(50).input_dim(2).seed(1)).unwrap();
    lsm.step(&[1, 0]).unwrap();
    assert_eq!(
        allocations_during(|| {
            for _ in 0..100 {
                lsm.step(&[1, 1]).unwrap();
            }
        }),
        0
    );
}
