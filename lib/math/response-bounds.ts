/**
 * Response-level upper bounds on pair scores (the TypeScript twin of cpp/design/response_bounds.h).
 * With r_i = ‖y_i − ȳ‖ in the metric of the current M⁻¹, q_ij ≤ (r_i + r_j)² by the triangle
 * inequality; r_i² falls with every pick by β_t (c_t[i] − u_t·ȳ)², so the bound follows the decay
 * of all scores together when picks use up dominant directions. It carries a margin for rounding,
 * so it also stays above the q that the downdates compute.
 */
export class ResponseBounds {
  private readonly mean: Float64Array;
  private readonly r2: Float64Array;
  private readonly radius: Float64Array;
  private readonly slack: Float64Array;
  constructor(
    Y: Float64Array,
    private readonly n: number,
    private readonly d: number,
    k: number,
  ) {
    this.mean = new Float64Array(d);
    this.r2 = new Float64Array(n);
    this.radius = new Float64Array(n);
    this.slack = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) this.mean[c] += Y[i * d + c]!;
    for (let c = 0; c < d; c++) this.mean[c] /= n;
    // Rounding in c_t, q and r² is at most a few ε·‖y‖² per step; 64·k·d·ε·‖y‖² covers it amply.
    const margin = 64 * k * d * Number.EPSILON;
    for (let i = 0; i < n; i++) {
      let r2 = 0;
      let norm2 = 0;
      for (let c = 0; c < d; c++) {
        const y = Y[i * d + c]!;
        const x = y - this.mean[c]!;
        r2 += x * x;
        norm2 += y * y;
      }
      this.r2[i] = r2;
      this.slack[i] = margin * (norm2 + r2);
      this.radius[i] = Math.sqrt(r2 + this.slack[i]!);
    }
  }

  /** After the pick with direction u (at offset uo) and weight β, whose c = Y u is given. */
  downdate(U: Float64Array, uo: number, beta: number, c: Float64Array): void {
    let centre = 0;
    for (let x = 0; x < this.d; x++) centre += U[uo + x]! * this.mean[x]!;
    for (let i = 0; i < this.n; i++) {
      const x = c[i]! - centre;
      this.r2[i] -= beta * x * x;
      this.radius[i] = Math.sqrt(Math.max(this.r2[i]!, 0) + this.slack[i]!);
    }
  }

  /** An upper bound on q_ij now, rounding included. */
  pair(i: number, j: number): number {
    const s = this.radius[i]! + this.radius[j]!;
    return (s * s + this.slack[i]! + this.slack[j]!) * (1 + 1e-9);
  }
}
