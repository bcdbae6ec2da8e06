/**
 * Typed buffers reused from column to column. A million-row column needs megabytes of scratch
 * space; allocating it afresh for every column drives V8's external-memory accounting into a full
 * garbage collection of the (large) heap every few columns, which cost more than the profiling.
 */
export class ScratchBuffers {
  private readonly f64: (Float64Array | undefined)[] = [];
  private i32: Int32Array | undefined;

  /** A Float64Array view of `length` elements from slot `slot`; contents are unspecified. */
  float64(length: number, slot = 0): Float64Array {
    let buffer = this.f64[slot];
    if (buffer === undefined || buffer.length < length) {
      buffer = new Float64Array(length);
      this.f64[slot] = buffer;
    }
    return buffer.subarray(0, length);
  }

  /** An Int32Array view of `length` elements filled with `fill`. */
  int32(length: number, fill: number): Int32Array {
    if (this.i32 === undefined || this.i32.length < length) this.i32 = new Int32Array(length);
    const view = this.i32.subarray(0, length);
    view.fill(fill);
    return view;
  }
}
