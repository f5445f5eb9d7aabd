// A Rust panic (a bug in apertura) surfaces as a thrown AperturaError with code "panic",
// and the module keeps working afterwards: the panic hook schedules a fresh instance of
// the module for the next call (wasm-bindgen's reinit), so no state of the aborted call
// (leaked stack, held borrows) survives. Objects made before the panic belong to the old
// instance: using them throws an Error instead of touching freed memory.
//
// `__panicForTesting` is a hidden export that panics on purpose.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { builds, thrown, SMALL_CSV } from './helpers.mjs';

for (const [name, api] of builds) {
  describe(`panic: ${name}`, () => {
    test('a panic is thrown as an Error with code "panic" and its message', () => {
      const e = thrown(() => api.__panicForTesting('boom at the test'));
      assert.ok(e instanceof Error);
      assert.equal(e.name, 'AperturaError');
      assert.equal(e.code, 'panic');
      assert.match(e.message, /boom at the test/);
      assert.match(e.message, /internal error/);
      assert.deepEqual(e.errors, [{ code: 'panic', message: 'boom at the test', factor: null, institution: null, item: null, row: null, column: null, value: null }]);
      for (const k of ['institution', 'item', 'row', 'column', 'value']) assert.equal(e[k], null);
    });

    test('the module keeps working after a panic', () => {
      thrown(() => api.__panicForTesting('first'));
      const rows = api.score(SMALL_CSV);
      assert.equal(rows.length, 2);
      assert.equal(rows[1].iga, 1);
      assert.ok(api.editions().length >= 8);
      const e = api.Edition.load('mga-2017');
      assert.equal(e.id, 'mga-2017');
      const sc = new api.Scorer(SMALL_CSV, { edition: e });
      sc.setWeight('tg', 0.8);
      assert.ok(Math.abs(sc.rows()[0].t - (0.8 * 0.4 + 0.2 * 0.6)) < 1e-12);
      // Errors still carry their codes.
      assert.equal(thrown(() => api.score('id,tg,tc,pg,pc\na,2,0,0,0\n')).code, 'out_of_range');
    });

    test('objects from before a panic throw an Error when used; new ones work', () => {
      const old = new api.Scorer(SMALL_CSV);
      const oldEdition = api.Edition.load('mga-2019');
      thrown(() => api.__panicForTesting('second'));
      assert.equal(api.score(SMALL_CSV).length, 2); // triggers the fresh instance
      const e = thrown(() => old.rows());
      assert.ok(e instanceof Error);
      assert.ok(thrown(() => oldEdition.tree()) instanceof Error);
      const fresh = new api.Scorer(SMALL_CSV);
      assert.equal(fresh.rows().length, 2);
    });

    test('the first call after a panic gets its arguments intact', () => {
      // The reset must happen before arguments are copied into the module's memory.
      thrown(() => api.__panicForTesting('x'));
      assert.equal(api.Edition.load('mga-2017').id, 'mga-2017');
      thrown(() => api.__panicForTesting('y'));
      assert.equal(api.Edition.fromJson(api.Edition.load('mga-2021').toJson()).id, 'mga-2021');
      thrown(() => api.__panicForTesting('z'));
      const e = thrown(() => api.__panicForTesting('message kept'));
      assert.equal(e.errors[0].message, 'message kept');
    });

    test('an old object used or freed first after a panic is refused, not misread', () => {
      const keep = [];
      for (let i = 0; i < 20; i++) keep.push(new api.Scorer(SMALL_CSV));
      thrown(() => api.__panicForTesting('before stale use'));
      const e = thrown(() => keep[0].rows());
      assert.ok(e instanceof Error);
      assert.match(e.message, /stale/);
      thrown(() => api.__panicForTesting('before stale free'));
      for (const s of keep) s.free(); // must not free memory of the new instance
      const fresh = Array.from({ length: 50 }, () => new api.Scorer(SMALL_CSV, { weights: { tg: 0.8 } }));
      for (const s of fresh) assert.ok(Math.abs(s.rows()[0].t - (0.8 * 0.4 + 0.2 * 0.6)) < 1e-12);
      for (const s of fresh) s.free();
      assert.equal(api.score(SMALL_CSV)[1].iga, 1);
    });

    test('many panics in a row: still working, nothing leaks', () => {
      for (let i = 0; i < 300; i++) {
        const e = thrown(() => api.__panicForTesting(`panic ${i}`));
        assert.equal(e.code, 'panic');
        assert.equal(e.errors[0].message, `panic ${i}`);
      }
      const rows = api.score(SMALL_CSV);
      assert.ok(Math.abs(rows[0].iga - 0.35) < 1e-12);
    });
  });
}
