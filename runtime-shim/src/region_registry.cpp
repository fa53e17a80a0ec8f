#include "region_registry.h"

#include <algorithm>

namespace viewsan {

RegionRegistry::RegionRegistry(u64 quarantine_bytes, u64 quarantine_regions)
    : quarantine_(quarantine_bytes, quarantine_regions) {}

// ---- hooks: their common paths are in the header ----------------------------------------------

VS_NOINLINE bool RegionRegistry::RetireAt(u64 ptr, bool log) {
  LiveEntry taken;
  if (!addresses_.Take(ptr, &taken))
    return false;
  RetireTaken(taken, log);
  return true;
}

VS_NOINLINE void RegionRegistry::LogFull(u64 ptr, u32 id) {
  if (alloc_log_size_ > 2 * live_count_ + kLogSlack) {  // nobody asked for ids in a while
    alloc_log_size_ = 0;
    live_ids_stale_ = true;  // off until the next id asked for rebuilds live_ids_
    return;
  }
  const u64 capacity = std::max<u64>(2 * alloc_log_capacity_, 1024);
  std::unique_ptr<Logged[]> log(new Logged[capacity]);
  for (u64 i = 0; i < alloc_log_size_; ++i)
    log[i] = alloc_log_[i];
  alloc_log_ = std::move(log);
  alloc_log_capacity_ = capacity;
  alloc_log_[alloc_log_size_++] = {ptr, id, 0};
}

VS_NOINLINE void RegionRegistry::NotePending(u64 ptr, u64 size, u32 id) {
  pending_.push_back({ptr, ExtentEnd(ptr, size), id, 0});
  NoteChange();
}

bool RegionRegistry::Resize(u64 ptr, u64 size) {
  // A region that is itself the latest change (allocated or resized in place, nothing changed
  // since: a vector growing in place as it is filled) keeps its place in the order of changes
  // (ChangeOrder), since none falls between: no stamp to keep, its entry's size alone changes.
  // Nine in ten of web-tree-sitter's 32,000 resizes in place are of that kind.
  const bool latest =
      recent_count_ != 0 && recent_[(recent_count_ - 1) % kRecentChanges].ptr == ptr;
  LiveEntry before;
  if (!addresses_.Resize(ptr, size, latest ? 0 : NextResizeStamp(), &before))
    return false;
  live_bytes_ = live_bytes_ - before.size + size;
  peak_bytes_ = std::max(peak_bytes_, live_bytes_);
  RecordChange(ptr, size, before.live_id);
  return true;
}

void RegionRegistry::SetQuarantineBytes(u64 max_bytes) {
  quarantine_.set_max_bytes(max_bytes);
  DrainQuarantine();
}

bool RegionRegistry::LiveById(u32 id, LiveEntry* out) {
  if (id == 0)
    return false;
  // Whether region `id` is still the live one starting at `ptr` (else freed since).
  const auto live_at = [&](u64 ptr) { return addresses_.Find(ptr, out) && out->live_id == id; };
  AskedId& asked = asked_ids_[id % kAskedIds];
  if (asked.id == id && live_at(asked.ptr))
    return true;
  SyncLiveIds();
  const u64* ptr = live_ids_.Find(id);
  if (!ptr || !live_at(*ptr))
    return false;
  asked = {id, *ptr};
  return true;
}

void RegionRegistry::SyncLiveIds() {
  // Ids of freed regions pile up in the map: start over once they outnumber the live ones.
  if (live_ids_stale_ || live_ids_.size() > 2 * live_count_ + kLogSlack) {
    live_ids_.Clear(live_count_);
    addresses_.ForEach([this](const LiveEntry& entry) {
      if (live_ids_.NeedsRoom())
        live_ids_.Grow();
      live_ids_.FindOrInsert(entry.live_id) = entry.ptr;
    });
    live_ids_stale_ = false;
    alloc_log_size_ = 0;
    return;
  }
  for (u64 i = 0; i < alloc_log_size_; ++i) {
    if (live_ids_.NeedsRoom())
      live_ids_.Grow();
    live_ids_.FindOrInsert(alloc_log_[i].id) = alloc_log_[i].ptr;
  }
  alloc_log_size_ = 0;
}

VS_NOINLINE u32 RegionRegistry::NextIdAfterWrap(u32 id) {
  // Ids are 32-bit in the ABI. After 2^32 - 1 allocations they wrap, skipping 0 and the ids still
  // remembered, so that an id names one region at a time.
  for (;; id = ++last_id_) {
    if (id == 0) {
      ids_wrapped_ = true;
      continue;
    }
    LiveEntry live;
    if (LiveById(id, &live) || FindFreed(id))
      continue;
    return id;
  }
}

u64 RegionRegistry::memory_bytes() const {
  return addresses_.memory_bytes() + alloc_log_capacity_ * sizeof(Logged) +
         (live_ids_.capacity() + freed_by_ptr_.capacity() +
          freed_by_id_.capacity()) * 16 +
         quarantine_.capacity() * sizeof(Quarantine::Record) +
         live_.size() * sizeof(AddressIndex::Entry) +
         pending_.capacity() * sizeof(Change) + unindexed_.capacity() * sizeof(Unindexed) +
         freed_.pieces() * 64;
}

// ---- generations ------------------------------------------------------------------------------

VS_NOINLINE void RegionRegistry::CountGeneration(LiveEntry* live) {
  // Every region freed at this address was freed before this one was allocated there.
  u64 position;
  const Quarantine::Record* before = LatestFreedAt(live->ptr, &position);
  if (before && before->generation == kUncounted)
    CountFreedGeneration(position);
  live->generation = before ? NextGeneration(before->generation) : 0;
  addresses_.SetGeneration(live->ptr, live->generation);
}

VS_NOINLINE void RegionRegistry::CountFreedGeneration(u64 position) {
  const u64 oldest = quarantine_.popped();
  if (position < oldest || quarantine_.At(position).generation != kUncounted)
    return;  // forgotten, or counted
  const u64 from = std::max(freed_by_ptr_through_, oldest);  // the first record not indexed
  if (!MayScan(scanned_by_ptr_, position - from, quarantine_.pushed() - from)) {
    IndexFreedByPtr();  // counts every remembered record's
    return;
  }
  // The regions freed at the same address before it, newest first, back to one whose generation
  // is known: each is one more than the one before.
  const u64 ptr = quarantine_.At(position).ptr;
  std::vector<u64> uncounted{position};
  const Quarantine::Record* known = nullptr;
  for (u64 earlier = position; earlier-- > from;) {
    ++scanned_by_ptr_;
    const Quarantine::Record& record = quarantine_.At(earlier);
    if (record.ptr != ptr)
      continue;
    if (record.generation != kUncounted) {
      known = &record;
      break;
    }
    uncounted.push_back(earlier);
  }
  u64 indexed;
  if (!known)  // none since the index: the latest it holds, all counted, if still remembered
    known = RememberedRecord(freed_by_ptr_.Find(ptr), &indexed);
  u32 generation = known ? known->generation : kUncounted;
  for (auto it = uncounted.rbegin(); it != uncounted.rend(); ++it) {
    generation = generation == kUncounted ? 0 : NextGeneration(generation);
    quarantine_.At(*it).generation = generation;
  }
}

const Quarantine::Record* RegionRegistry::LatestFreedAt(u64 ptr, u64* position) {
  const u64 from = std::max(freed_by_ptr_through_, quarantine_.popped());
  const u64 unindexed = quarantine_.pushed() - from;
  if (unindexed != 0) {
    if (!MayScan(scanned_by_ptr_, unindexed, unindexed)) {
      IndexFreedByPtr();
    } else {
      for (u64 latest = quarantine_.pushed(); latest-- > from;) {
        ++scanned_by_ptr_;
        if (quarantine_.At(latest).ptr == ptr) {
          *position = latest;
          return &quarantine_.At(latest);
        }
      }
    }
  }
  // Positions below `from` only, or forgotten ones (RememberedRecord tells).
  return RememberedRecord(freed_by_ptr_.Find(ptr), position);
}

// ---- freed regions by address and by id -------------------------------------------------------

template <class Add>
void RegionRegistry::IndexRecords(FlatMap<u64>& map, u64& through, Add&& add) {
  // Entries for forgotten records pile up: start over once they outnumber the rest.
  if (map.size() > 2 * quarantine_.size() + 1024) {
    map.Clear(quarantine_.size());
    through = 0;
  }
  for (u64 position = std::max(through, quarantine_.popped()); position < quarantine_.pushed();
       ++position) {
    if (map.NeedsRoom())
      map.Grow();
    add(quarantine_.At(position), position);
  }
  through = quarantine_.pushed();
}

void RegionRegistry::IndexFreedByPtr() {
  scanned_by_ptr_ = 0;
  IndexRecords(freed_by_ptr_, freed_by_ptr_through_,
               [this](Quarantine::Record& record, u64 position) {
                 if (record.generation == kUncounted) {  // one more than the one freed there before
                   u64 before_position;
                   const Quarantine::Record* before =
                       RememberedRecord(freed_by_ptr_.Find(record.ptr), &before_position);
                   record.generation = before ? NextGeneration(before->generation) : 0;
                 }
                 freed_by_ptr_.FindOrInsert(record.ptr) = position;  // the latest wins
               });
}

void RegionRegistry::IndexFreedById() {
  IndexRecords(freed_by_id_, freed_by_id_through_,
               [this](const Quarantine::Record& record, u64 position) {
                 freed_by_id_.FindOrInsert(record.id) = position;
               });
}

const Quarantine::Record* RegionRegistry::RememberedRecord(const u64* position,
                                                           u64* out_position) const {
  if (!position || *position < quarantine_.popped() || *position >= quarantine_.pushed())
    return nullptr;
  *out_position = *position;
  return &quarantine_.At(*position);
}

std::optional<Region> RegionRegistry::FindFreed(u32 id) {
  IndexFreedById();
  u64 position;
  const Quarantine::Record* record = RememberedRecord(freed_by_id_.Find(id), &position);
  if (!record || record->id != id)
    return std::nullopt;
  return FreedRegion(*record, position);
}

// ---- exact queries ----------------------------------------------------------------------------

std::optional<Region> RegionRegistry::FindLive(u64 ptr) {
  LiveEntry entry;
  if (!addresses_.Find(ptr, &entry))
    return std::nullopt;
  return LiveRegion(entry);
}

std::optional<Region> RegionRegistry::FindFreedAt(u64 ptr) {
  u64 position;
  const Quarantine::Record* record = LatestFreedAt(ptr, &position);
  // The latest record at ptr is forgotten only after every earlier one.
  if (!record || record->ptr != ptr)
    return std::nullopt;
  return FreedRegion(*record, position);
}

std::optional<Region> RegionRegistry::Find(u32 id) {
  LiveEntry entry;
  if (LiveById(id, &entry))
    return LiveRegion(entry);
  return id == 0 ? std::nullopt : FindFreed(id);
}

}  // namespace viewsan
