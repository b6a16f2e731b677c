/**
 * A trie over token keys. Matching walks at most `depth` nodes from each text position, so the cost of a
 * pass depends on the text and the longest phrase, never on how many phrases are stored.
 */
interface TrieNode<V> {
  children: Map<string, TrieNode<V>>;
  values: V[];
}

export interface TrieMatch<V> {
  /** number of keys the phrase spans */
  length: number;
  values: readonly V[];
}

export class PhraseTrie<V> {
  private readonly root: TrieNode<V> = { children: new Map(), values: [] };
  private maxDepth = 0;

  add(keys: readonly string[], value: V): void {
    if (keys.length === 0) throw new Error('empty phrase');
    let node = this.root;
    for (const key of keys) {
      let next = node.children.get(key);
      if (!next) {
        next = { children: new Map(), values: [] };
        node.children.set(key, next);
      }
      node = next;
    }
    node.values.push(value);
    this.maxDepth = Math.max(this.maxDepth, keys.length);
  }

  get depth(): number {
    return this.maxDepth;
  }

  /** Every stored phrase that starts at keys[start], shortest first. */
  matchesAt(keys: readonly string[], start: number): TrieMatch<V>[] {
    const found: TrieMatch<V>[] = [];
    let node: TrieNode<V> | undefined = this.root;
    for (let i = start; i < keys.length && i - start < this.maxDepth; i++) {
      node = node.children.get(keys[i]!);
      if (!node) break;
      if (node.values.length > 0) found.push({ length: i - start + 1, values: node.values });
    }
    return found;
  }

  /** The longest stored phrase starting at keys[start], if any. */
  longestAt(keys: readonly string[], start: number): TrieMatch<V> | undefined {
    const all = this.matchesAt(keys, start);
    return all[all.length - 1];
  }
}
