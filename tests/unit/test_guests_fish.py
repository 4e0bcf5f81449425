"""What the appliance's kernel log must make the preparation refuse to call a guest prepared: a write that
failed, a file system error while it was being changed — and what it must not (the guest's own history)."""

from __future__ import annotations

from wizard.guests.fish import io_errors

LOG = """\
[    0.912345] sd 0:0:0:0: [sda] 3145728 512-byte logical blocks: (1.61 GB/1.50 GiB)
[    3.101010] EXT4-fs (sda1): mounted filesystem with ordered data mode. Quota mode: none.
[    3.101100] EXT4-fs (sda1): error count since last fsck: 3
[    3.101200] EXT4-fs (sda1): initial error at time 1690000000: ext4_journal_check_start:83
[    3.101300] EXT4-fs (sda1): last error at time 1690000100: ext4_reserve_inode_write:5741
"""


def test_the_guests_own_error_history_is_not_a_failed_write():
    assert io_errors(LOG) == []


def test_failed_writes_and_file_system_errors_are_found():
    failures = [
        "[   41.000001] I/O error, dev sda, sector 2099200 op 0x1:(WRITE) flags 0x800 phys_seg 32 prio class 2",
        "[   41.000002] Buffer I/O error on dev sda1, logical block 262144, lost async page write",
        "[   41.000003] EXT4-fs error (device sda1): ext4_find_entry:1455: inode #2: comm dracut: reading directory",
        "[   41.000004] XFS (sda2): Corruption detected. Unmount and run xfs_repair",
    ]
    for line in failures:
        assert io_errors(LOG + line + "\n") == [line], line
