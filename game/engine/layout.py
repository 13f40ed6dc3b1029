"""Memory layout of batched arrays: the batch axis innermost.

Rules work one column at a time for all games (`v[:, V_DEBT]`, `status[:, j]`,
`contrib[:, src, col]`) and reduce over the small axes (`fund.any(axis=1)`).
With the batch axis contiguous in memory those are plain vector operations
instead of strided ones, which makes a whole simulation about a quarter faster.
Indexing is unchanged (the batch is still axis 0), and numpy keeps the layout
through element-wise operations as long as every full-size operand shares it,
so everything that builds a (B, ...) array for the engine builds it here.

Sums over a small axis go through `rowsum` and `dot`: numpy's reductions and
BLAS products add in an order that depends on the batch size (a lone game's
row is reduced pairwise, a batch column by column), so one game would round
differently alone and inside a batch. Added column by column, a row of a batch
comes out bit for bit as the same game alone (what shared luck relies on), and
on this layout that is as fast.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray


def full(shape: tuple[int, ...], fill: Any = 0, dtype: Any = np.float64) -> NDArray[Any]:
    """A new (B, ...) array filled with `fill`, batch axis innermost."""
    return np.moveaxis(np.full((*shape[1:], shape[0]), fill, dtype=dtype), -1, 0)


def zeros(shape: tuple[int, ...], dtype: Any = np.float64) -> NDArray[Any]:
    """A new (B, ...) array of zeros, batch axis innermost."""
    return np.moveaxis(np.zeros((*shape[1:], shape[0]), dtype=dtype), -1, 0)


def batch_last(a: NDArray[Any]) -> NDArray[Any]:
    """`a` with its batch axis innermost, copied only if it is not already.

    Every state is built this way (new, taken, loaded) because numpy's sums can
    round differently by layout, and a loaded game must continue bit for bit.
    """
    if a.ndim < 2 or a.strides[0] == a.itemsize:
        return a
    return np.moveaxis(np.ascontiguousarray(np.moveaxis(a, 0, -1)), -1, 0)


def copy(a: NDArray[Any]) -> NDArray[Any]:
    """A copy that keeps the layout (ndarray.copy() would make it row-major)."""
    return a.copy(order="K")


def rowsum(x: NDArray[Any]) -> NDArray[np.float64]:
    """Sum over axis 1 of a (B, k, ...) array, in column order whatever the batch size."""
    a = np.asarray(x, dtype=np.float64)
    if a.shape[1] == 0:
        return np.zeros((a.shape[0], *a.shape[2:]))
    acc: NDArray[np.float64] = a[:, 0].copy(order="K")
    for i in range(1, a.shape[1]):
        acc += a[:, i]
    return acc


def dot(x: NDArray[Any], w: NDArray[np.float64]) -> NDArray[np.float64]:
    """`x @ w` over the last axis, term by term in index order (zero weights skipped),
    whatever the batch size."""
    a = np.asarray(x)
    terms = [i for i in range(len(w)) if w[i] != 0.0]
    if not terms:
        return np.zeros(a.shape[:-1])
    acc: NDArray[np.float64] = a[..., terms[0]] * w[terms[0]]
    for i in terms[1:]:
        acc += a[..., i] * w[i]
    return acc
