//! The streaming encoders allocate nothing per step (a controller calls `step` in its control
//! loop, from C too): a counting global allocator watches 2 000 steps of every encoder kind,
//! including steps right after a save and resume.

use neuroquant::spike::{Encoder, EncoderKind, EncoderParams};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; the counter is a thread-local Cell (no allocation).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

#[test]
fn streaming_steps_allocate_nothing() {
    const C: usize = 4;
    for kind in [
        EncoderKind::Delta,
        EncoderKind::SendOnDelta,
        EncoderKind::StepForward,
        EncoderKind::Tbr,
        EncoderKind::MovingWindow,
        EncoderKind::Rate,
        EncoderKind::Poisson,
        EncoderKind::Phase,
        EncoderKind::Bsa,
    ] {
        let p = EncoderParams::default()
            .encoder(kind)
            .num_channels(C)
            .window(5)
            .filter_length(8)
            .threshold(0.01)
            .seed(Some(3));
        let mut enc = Encoder::new(&p).unwrap();
        // Values in [0.1, 0.9]; Poisson reads them as rates in units of 200 Hz.
        let scale = if kind == EncoderKind::Poisson { 200.0 } else { 1.0 };
        let sample = |t: usize| -> [f64; C] {
            std::array::from_fn(|c| scale * (0.5 + 0.4 * ((t * (c + 1)) as f64 * 0.03).sin()))
        };
        let mut out = [0i32; C];
        let mut fired = 0;
        for half in 0..2 {
            let before = allocations();
            for t in 0..1000 {
                enc.step(&sample(half * 1000 + t), &mut out).unwrap();
                fired += out.iter().filter(|&&s| s != 0).count();
            }
            assert_eq!(allocations(), before, "{kind:?}: steps allocated (half {half})");
            // Save and resume mid-stream (these allocate; the steps after them must not).
            enc = Encoder::from_bytes(&enc.to_bytes().unwrap()).unwrap();
        }
        assert!(fired > 0, "{kind:?} never fired: the loop measured nothing");
    }
}

#[test]
fn the_counter_sees_allocations() {
    let before = allocations();
    let v = std::hint::black_box(vec![1u8; 10]);
    assert!(allocations() > before && v.len() == 10);
}
