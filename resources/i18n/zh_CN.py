"""Simplified Chinese texts for hvmigrate_zh_CN.ts, keyed by the English source without its mnemonic.

Run ``python resources/i18n/zh_CN.py`` after ``pyside6-lupdate`` to fill the .ts and compile the .qm:
mnemonics (``&X``) are carried over as a trailing ``(&X)``, the Chinese convention.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ZH = {
    "Running VMs:": "运行中的虚拟机：",
    "Copy from a snapshot (removed afterwards)": "从快照复制（完成后删除快照）",
    "Shut down first (they stay off once migrated)": "先关机（迁移后保持关机）",
    "Copy as they are (the copy may be inconsistent)": "按原样复制（副本可能不一致）",
    "How VMs that are running on vSphere are copied. A snapshot lets them keep serving; the copy has their state "
    "at the moment of the snapshot. Shutting down gives the final, complete state.":
        "vSphere 上正在运行的虚拟机如何复制。使用快照时虚拟机可继续提供服务，副本为拍摄快照时的状态；"
        "先关机则得到最终的完整状态。",
    "Can these VMs run on Hyper-V?": "这些虚拟机能在 Hyper-V 上运行吗？",
    "Red: blocked until fixed or unticked. Amber: works, but read the warning. Green: nothing to do.":
        "红色：修复或取消勾选前无法迁移。黄色：可以迁移，但请阅读警告。绿色：无需处理。",
    "VM": "虚拟机", "Status": "状态", "Severity": "严重性", "Finding": "检查结果", "Choices": "选项",
    "Export HTML…": "导出 HTML…", "Export CSV…": "导出 CSV…", "Ready": "就绪", "Blocked": "受阻",
    "Warning": "警告", "Note": "提示", "Checking %n VM(s)…": "正在检查 %n 台虚拟机…",
    "%1 VM(s) ticked: %2 blocked, %3 with warnings.": "已勾选 %1 台虚拟机：%2 台受阻，%3 台有警告。",
    "Fix or untick the blocked VMs to continue.": "请修复或取消勾选受阻的虚拟机后继续。",
    "No problems found: this VM can be migrated as it is.": "未发现问题：此虚拟机可以直接迁移。",
    "Done automatically:": "已自动处理：", "What to do:": "处理方法：", "Source:": "来源：",
    "HTML report (*.html)": "HTML 报告 (*.html)", "CSV file (*.csv)": "CSV 文件 (*.csv)",
    "Export the compatibility report": "导出兼容性报告", "Saved %1.": "已保存 %1。", "Saving…": "正在保存…",
    "Finished": "完成", "Open output folder": "打开输出文件夹", "Open the report": "打开报告",
    "%1 of %2 VMs were migrated.": "%2 台虚拟机中已迁移 %1 台。", "Migrated: %1.": "已迁移：%1。",
    "none": "无", "Not migrated: %1.": "未迁移：%1。",
    "What to check on each new VM": "每台新虚拟机需要检查的事项",
    "Start it and sign in; the first start takes longer while drivers settle.":
        "启动并登录；首次启动时驱动程序需要适配，耗时较长。",
    "Check that every disk is online and has its drive letter or mount point.":
        "检查每块磁盘均已联机，并具有原来的盘符或挂载点。",
    "Check the network: IP address, gateway and DNS; ping a server.":
        "检查网络：IP 地址、网关和 DNS；ping 一台服务器。",
    "Windows may ask to be activated again after the hardware change.": "硬件变化后，Windows 可能要求重新激活。",
    "Remove VMware Tools if it is still listed in Apps.": "如果“应用”中仍列出 VMware Tools，请将其卸载。",
    "Check that the Hyper-V drivers (hv_vmbus, hv_storvsc, hv_netvsc) are loaded.":
        "检查 Hyper-V 驱动程序（hv_vmbus、hv_storvsc、hv_netvsc）已加载。",
    "Keep the source VM switched off until you are satisfied, then retire it.":
        "在确认无误之前保持源虚拟机关机，之后再将其停用。",
    "The import bundle is in %1. Copy it to the Hyper-V host and run the import script in it.":
        "导入包位于 %1。请将其复制到 Hyper-V 主机，并运行其中的导入脚本。",
    "Report saved to %1.": "报告已保存到 %1。", "Writing the report…": "正在写入报告…",
    "The report could not be written: %1": "无法写入报告：%1",
    "Something unexpected went wrong.": "发生了意外错误。",
    "Try again. If it happens again, copy the details and send them to your support contact.":
        "请重试。如果再次发生，请复制详细信息并发送给您的技术支持人员。",
    "hvmigrate — problem": "hvmigrate — 出现问题", "Show details": "显示详细信息", "Copy details": "复制详细信息",
    "Close": "关闭", "Hide details": "隐藏详细信息",
    "Name": "名称", "Power": "电源", "Guest OS": "客户机操作系统", "Cluster / host": "群集 / 主机",
    "Folder": "文件夹", "Host": "主机", "CPUs": "CPU", "Memory": "内存", "Disks": "磁盘", "NICs": "网卡",
    "Snapshots": "快照", "VMware Tools": "VMware Tools", "On": "开机", "Off": "关机", "Suspended": "已挂起",
    "Unknown": "未知", "Which VMs do you want to move?": "要迁移哪些虚拟机？",
    "Tick the VMs to migrate. Search and filters only change what is shown.":
        "勾选要迁移的虚拟机。搜索和筛选只改变显示的内容。",
    "Search names, guest OS, hosts, folders…": "搜索名称、操作系统、主机、文件夹…", "Search:": "搜索：",
    "Any power state": "任意电源状态", "Powered on": "已开机", "Powered off": "已关机",
    "Any guest OS": "任意操作系统", "Windows": "Windows", "Linux": "Linux", "Other": "其他",
    "Select all visible": "全选可见项", "Clear selection": "清除选择", "Any cluster or host": "任意群集或主机",
    "Any folder": "任意文件夹",
    "Selected: %1 of %2 VMs · %3 CPUs · %4 memory · %5 disks":
        "已选：%1 / %2 台虚拟机 · %3 个 CPU · 内存 %4 · 磁盘 %5",
    "hvmigrate %1 — move VMs to Hyper-V": "hvmigrate %1 — 将虚拟机迁移到 Hyper-V", "Settings…": "设置…",
    "Next >": "下一步 >", "< Back": "< 上一步", "Cancel": "取消", "Finish": "完成", "Start migration": "开始迁移",
    "Stop the migration?": "停止迁移？",
    "A migration is running. Closing stops it; VMs that are not finished are cleaned up and can be migrated "
    "again later.": "迁移正在进行。关闭将停止迁移；未完成的虚拟机会被清理，之后可以重新迁移。",
    "Stop and close": "停止并关闭", "Keep running": "继续运行", "Settings": "设置", "Follow the system": "跟随系统",
    "Language:": "语言：",
    "A new language takes effect the next time hvmigrate starts.": "新语言将在下次启动 hvmigrate 时生效。",
    "Which networks should the VMs join?": "虚拟机应连接到哪些网络？",
    "Pick the Hyper-V virtual switch (and VLAN, if any) for each network the VMs use now. Leave the switch "
    "empty to leave the adapter disconnected.":
        "为虚拟机当前使用的每个网络选择 Hyper-V 虚拟交换机（如有需要，还可指定 VLAN）。交换机留空则网卡保持断开。",
    "Source network": "源网络", "VMs": "虚拟机数", "Virtual switch": "虚拟交换机", "VLAN (0 = none)": "VLAN（0 = 无）",
    "Keep each adapter's MAC address (licences and DHCP reservations often depend on it)":
        "保留每个网卡的 MAC 地址（许可证和 DHCP 保留常依赖于它）",
    "Re-apply static IP addresses inside the guest after the move": "迁移后在客户机内重新应用静态 IP 地址",
    "(not connected)": "（未连接）",
    "A switch on the Hyper-V host; in a bundle it is created or matched on import.":
        "Hyper-V 主机上的交换机；使用导入包时，会在导入时创建或匹配。",
    "Failed: %1": "失败：%1", "Cancelled.": "已取消。", "Waiting": "等待中", "Running": "运行中", "Done": "完成",
    "Failed": "失败", "Cancelled": "已取消", "Skipped": "已跳过", "Stage": "阶段", "Progress": "进度", "Speed": "速度",
    "Time left": "剩余时间", "State": "状态", "Reading": "读取中", "Converting": "转换中", "Writing": "写入中",
    "Verifying": "校验中", "Uploading": "上传中", "Creating VM": "创建虚拟机", "Configuring": "配置中",
    "Discovering": "发现中", "Preparing": "准备中", "Guest fix-ups": "客户机修正", "Bundling": "打包中",
    "Converting disk": "转换磁盘", "Checking the copy": "检查副本", "Downloading": "下载中", "Working": "处理中",
    "Migrating": "正在迁移",
    "You can keep working while this runs. Select a VM to cancel, skip or retry it.":
        "迁移期间您可以继续工作。选择一台虚拟机可取消、跳过或重试。",
    "Cancel VM": "取消虚拟机", "Skip VM": "跳过虚拟机", "Retry VM": "重试虚拟机", "Cancel all": "全部取消",
    "Retry failed": "重试失败项", "Migration of %n VM(s) started.": "已开始迁移 %n 台虚拟机。",
    "%1: started.": "%1：已开始。", "%1: finished.": "%1：已完成。", "%1: failed.": "%1：失败。",
    "%1: cancelled.": "%1：已取消。", "%1: skipped.": "%1：已跳过。", "%1: queued again.": "%1：已重新排队。",
    "ERROR": "错误", "WARNING": "警告", "%1 of %2 VMs finished": "%2 台虚拟机中已完成 %1 台",
    "All work has stopped.": "所有工作已停止。", "Cancelling all VMs…": "正在取消所有虚拟机…",
    "Where are the VMs now?": "虚拟机现在在哪里？",
    "Connect to a vCenter or ESXi server, open VM files on this computer, or try the built-in demo.":
        "连接到 vCenter 或 ESXi 服务器，打开本机上的虚拟机文件，或试用内置演示。",
    "vCenter or ESXi server": "vCenter 或 ESXi 服务器", "Local files (VMX, OVF, OVA, VirtualBox)":
        "本地文件（VMX、OVF、OVA、VirtualBox）", "Demo with sample VMs": "示例虚拟机演示", "Recent:": "最近使用：",
    "Server": "服务器", "vcenter.example.com or 10.0.0.5:443": "vcenter.example.com 或 10.0.0.5:443",
    "administrator@vsphere.local": "administrator@vsphere.local",
    "Remember the password in the system keyring": "在系统密钥环中记住密码", "Address:": "地址：", "User:": "用户：",
    "Password:": "密码：", "Files": "文件", "A .vmx, .ovf, .ova or .vbox file, or a folder of them":
        "一个 .vmx、.ovf、.ova 或 .vbox 文件，或包含它们的文件夹", "Choose file…": "选择文件…",
    "Choose folder…": "选择文件夹…", "Test connection": "测试连接",
    "(choose a recent source)": "（选择最近使用的来源）",
    "Demo": "演示", "Choose a VM file": "选择虚拟机文件",
    "VM files (*.vmx *.ovf *.ova *.vbox);;All files (*)": "虚拟机文件 (*.vmx *.ovf *.ova *.vbox);;所有文件 (*)",
    "Choose a folder of VMs": "选择虚拟机所在文件夹", "Connecting…": "正在连接…", "Connected to %1.": "已连接到 %1。",
    "Connecting and reading the inventory…": "正在连接并读取清单…",
    "Reading the inventory… %1 of %2": "正在读取清单… %1 / %2", "Found %n VM(s).": "找到 %n 台虚拟机。",
    "Unknown certificate": "未知证书",
    "The server %1 presented a certificate this computer does not trust.": "服务器 %1 提供的证书不受此计算机信任。",
    "Trust it only if this SHA-256 thumbprint matches the one your administrator gave you:\n\n%1":
        "只有当此 SHA-256 指纹与管理员提供的一致时才信任它：\n\n%1",
    "Trust and connect": "信任并连接", "Do not connect": "不连接",
    "The server's certificate is not trusted yet.": "尚未信任该服务器的证书。", "Ready to migrate": "准备迁移",
    "Check the plan. Save it to run it later from the command line, or start now.":
        "请检查计划。可保存后稍后在命令行中运行，或现在开始。", "Save plan…": "保存计划…",
    "Preparing the plan…": "正在准备计划…",
    "The plan could not be built; go back to the templates page.": "无法生成计划；请返回模板页面。",
    "not connected": "未连接", "Generation": "代", "Switches": "交换机", "Warnings": "警告", "From:": "来源：",
    "To:": "目标：",
    "Estimated space needed: %1. Estimated time: %2 (at about 150 MiB/s).":
        "预计所需空间：%1。预计时间：%2（按约 150 MiB/s 计算）。",
    "Not enough free space on the target: %1 free.": "目标可用空间不足：仅剩 %1。", "Save the plan": "保存计划",
    "Plan files (*.json)": "计划文件 (*.json)", "Plan saved to %1.": "计划已保存到 %1。",
    "Where should the VMs go?": "虚拟机要迁移到哪里？",
    "Write an import bundle to a folder (import it on the Hyper-V host later), or connect to a Hyper-V host "
    "directly.": "将导入包写入文件夹（稍后在 Hyper-V 主机上导入），或直接连接到 Hyper-V 主机。",
    "Offline import bundle in a folder": "文件夹中的离线导入包", "Hyper-V host (WinRM)": "Hyper-V 主机（WinRM）",
    "Bundle": "导入包", "An empty folder with room for the disks": "一个有足够磁盘空间的空文件夹",
    "Hyper-V host": "Hyper-V 主机", "hyperv01.example.com": "hyperv01.example.com", "DOMAIN\\admin": "域\\管理员",
    "Use HTTPS": "使用 HTTPS", "Host:": "主机：", "Port:": "端口：", "Check target": "检查目标",
    "Choose the bundle folder": "选择导入包文件夹", "Checking the target…": "正在检查目标…", "unknown": "未知",
    "Folder %1 is usable. Free space: %2.": "文件夹 %1 可用。可用空间：%2。",
    "Hyper-V %1 (%2). Virtual switches: %3. Free space: %4.": "Hyper-V %1（%2）。虚拟交换机：%3。可用空间：%4。",
    "How should the new VMs look?": "新虚拟机应如何配置？",
    "A template sets sensible values for each VM. Change any value for all ticked VMs or for one VM; the plan "
    "is checked as you type.":
        "模板为每台虚拟机设置合理的值。您可以为所有勾选的虚拟机或单台虚拟机修改任意值；输入时会即时检查计划。",
    "Generation 2 (UEFI)": "第 2 代（UEFI）", "Generation 1 (BIOS)": "第 1 代（BIOS）", "Dynamic memory": "动态内存",
    "Secure Boot": "安全启动", "Virtual TPM": "虚拟 TPM", "VHDX, dynamically expanding": "VHDX，动态扩展",
    "VHDX, fixed size": "VHDX，固定大小", "Disabled": "已禁用", "Production": "生产", "Production only": "仅生产",
    "Standard": "标准", "Do nothing": "不执行任何操作", "Start if it was running": "如果之前在运行则启动",
    "Always start": "始终启动", "Template:": "模板：", "Apply changes to:": "更改应用于：", "Generation:": "代：",
    "CPUs:": "CPU：", "Memory:": "内存：", "Security:": "安全：", "Disks:": "磁盘：", "Checkpoints:": "检查点：",
    "When the host starts:": "主机启动时：",
    "Automatic (by firmware and guest OS)": "自动（按固件和操作系统）",
    "Windows Server — Gen 2, Secure Boot": "Windows Server — 第 2 代，安全启动",
    "Windows 11 — Gen 2, Secure Boot, TPM": "Windows 11 — 第 2 代，安全启动，TPM",
    "Linux — Gen 2, UEFI CA": "Linux — 第 2 代，UEFI CA", "Legacy BIOS — Gen 1": "传统 BIOS — 第 1 代",
    "All ticked VMs": "所有勾选的虚拟机", "Save as template…": "另存为模板…", "Save as template": "另存为模板",
    "Template name:": "模板名称：", "Template %1 saved.": "模板 %1 已保存。",
    "Only %1": "仅 %1", "Checking the settings…": "正在检查设置…",
    "✔ The settings are valid.": "✔ 设置有效。", "✘ %1": "✘ %1",
    "✘ %1: a virtual TPM needs generation 2.": "✘ %1：虚拟 TPM 需要第 2 代。",
    "✘ %1: a 32-bit guest cannot boot in generation 2.": "✘ %1：32 位客户机无法在第 2 代中启动。",
    "✘ %1: minimum memory is above startup memory.": "✘ %1：最小内存高于启动内存。",
    # the progress page's per-VM error, the compatibility choices
    "Why did it fail?": "失败原因", "Show the error of the selected VM: what went wrong and how to fix it":
        "显示所选虚拟机的错误：出了什么问题以及如何解决", "%1 was not migrated": "%1 未迁移",
    "Cancel all VMs?": "取消所有虚拟机？", "Cancel all VMs": "取消所有虚拟机",
    "VMs that are converting now stop and are cleaned up; VMs that are waiting are left out. VMs already "
    "migrated stay as they are.": "正在转换的虚拟机将停止并被清理；等待中的虚拟机将不再迁移。已迁移的虚拟机保持不变。",
    ", ": "、", "Yes": "是", "No": "否", "%n not migrated": "%n 台未迁移", "built-in demo": "内置演示",
    # finding titles of the compatibility rules (context Findings, wizard/ui/finding_titles.py)
    "Generation follows the source firmware": "代数与源固件一致",
    "Generation does not match the source firmware": "代数与源固件不一致",
    "32-bit guest cannot run on Generation 2": "32 位客户机无法在第 2 代上运行",
    "Guest not listed for Generation 2": "客户机未列入第 2 代支持列表",
    "Generation 1 has no Secure Boot or TPM": "第 1 代没有安全启动和 TPM",
    "Guest OS not supported on Hyper-V": "Hyper-V 不支持此客户机操作系统",
    "Guest OS is out of vendor support": "客户机操作系统已超出厂商支持期",
    "Guest OS not recognised": "无法识别客户机操作系统",
    "Guest needs a newer Hyper-V host": "客户机需要更新版本的 Hyper-V 主机",
    "More virtual processors than the guest supports": "虚拟处理器数超过客户机支持的数量",
    "Linux needs Hyper-V drivers in its boot image": "Linux 启动映像中需要 Hyper-V 驱动程序",
    "Secure Boot turned off for this guest": "已为此客户机关闭安全启动",
    "Linux Secure Boot needs the UEFI CA template": "Linux 安全启动需要 UEFI CA 模板",
    "Windows Secure Boot needs the Windows template": "Windows 安全启动需要 Windows 模板",
    "Windows 11 needs Secure Boot and a virtual TPM": "Windows 11 需要安全启动和虚拟 TPM",
    "The source's virtual TPM cannot be copied": "无法复制源虚拟机的虚拟 TPM",
    "Encrypted VM or disk": "加密的虚拟机或磁盘",
    "Configuration version not supported by the host": "主机不支持此配置版本",
    "Configuration version too old for the chosen features": "配置版本过旧，无法使用所选功能",
    "More virtual processors than the host allows": "虚拟处理器数超过主机允许的数量",
    "Memory size unknown": "内存大小未知", "More memory than the host allows": "内存超过主机允许的大小",
    "Memory rounded to 2 MiB": "内存已按 2 MiB 取整", "Dynamic memory bounds adjusted": "已调整动态内存范围",
    "More network adapters than the host allows": "网卡数超过主机允许的数量",
    "VM has no disks": "虚拟机没有磁盘", "Physical-mode raw device mapping": "物理模式裸设备映射",
    "Virtual-mode raw device mapping": "虚拟模式裸设备映射", "Shared or clustered disk": "共享或群集磁盘",
    "Independent or non-persistent disk": "独立或非持久磁盘", "Disk on vSAN": "磁盘位于 vSAN 上",
    "Disk larger than 64 TB": "磁盘大于 64 TB",
    "Disk file missing or damaged": "磁盘文件缺失或已损坏",
    "ARM guest on an x64 Hyper-V host": "ARM 客户机无法在 x64 Hyper-V 主机上运行",
    "VM is inaccessible or orphaned in vCenter": "虚拟机在 vCenter 中不可访问或已孤立",
    "Disk size unknown": "磁盘大小未知",
    "Disk too large for the VHD format": "磁盘对 VHD 格式来说过大", "Disk left out": "磁盘未包含",
    "Disk placement": "磁盘位置", "Disk placement not valid": "磁盘位置无效",
    "Generation 1 boot disk moves to IDE": "第 1 代启动磁盘改接到 IDE",
    "More IDE disks than Generation 1 has slots": "IDE 磁盘数超过第 1 代的插槽数",
    "IDE disks move to SCSI on Generation 2": "第 2 代上 IDE 磁盘改接到 SCSI",
    "More disks than Hyper-V can attach": "磁盘数超过 Hyper-V 可连接的数量",
    "Disk controllers change": "磁盘控制器将改变",
    "Generation 1 boot disk larger than 2 TB": "第 1 代启动磁盘大于 2 TB",
    "USB devices are not carried over": "USB 设备不会迁移", "Serial port": "串口", "Parallel port": "并口",
    "Floppy drive": "软盘驱动器", "CD/DVD drive with media": "CD/DVD 驱动器中有介质",
    "PCI passthrough device": "PCI 直通设备", "Virtual GPU": "虚拟 GPU", "Device not carried over": "设备不会迁移",
    "Legacy network adapter for an old guest": "为旧客户机使用旧版网卡",
    "Network adapter not connected": "网卡未连接", "Source VLAN not carried over": "源 VLAN 不会迁移",
    "VMware paravirtual drivers are replaced": "VMware 半虚拟化驱动程序将被替换",
    "Static IP addresses belong to the old adapter": "静态 IP 地址属于旧网卡",
    "Static MAC address kept": "保留静态 MAC 地址", "VM has snapshots": "虚拟机有快照",
    "Guest is hibernated or not cleanly shut down": "客户机处于休眠状态或未正常关机",
    "VM is suspended": "虚拟机已挂起", "VM is running": "虚拟机正在运行", "Source is a template": "源是一个模板",
    "CPU/memory hot-add": "CPU/内存热添加", "VM name changed for file names": "为文件名更改了虚拟机名称",
    "Several VMs with the same name": "多台虚拟机同名", "VMware Tools to remove": "需要卸载 VMware Tools",
    "Guest information not available": "客户机信息不可用", "Invalid value in the plan": "计划中的值无效",
    # resuming an interrupted migration; the plan's network answers; the target's connection details
    "Resume the interrupted migration?": "继续被中断的迁移吗？",
    "A migration to %1 did not finish: %2 of %3 VMs were migrated.":
        "迁移到 %1 的任务没有完成：已迁移 %3 台中的 %2 台虚拟机。",
    "Resuming keeps every finished VM and disk; a disk that was being converted goes on from its last checkpoint.":
        "继续时会保留所有已完成的虚拟机和磁盘；正在转换的磁盘从上一个检查点接着转换。",
    "Resume": "继续", "Discard": "放弃", "Not now": "以后再说",
    "Connect to the source on the Source page with Remember the password ticked, then resume.":
        "请在“源”页面勾选“记住密码”并连接到源，然后再继续。",
    "Opening the interrupted migration…": "正在打开被中断的迁移…",
    "A migration is running. Closing stops it; what is not finished is cleaned up, and the next time hvmigrate "
    "starts it offers to resume the migration where it stopped.":
        "迁移正在进行。关闭窗口会停止迁移并清理未完成的部分；下次启动 hvmigrate 时，会提示从停止处继续迁移。",
    "Keep MAC addresses that were set by hand; Hyper-V assigns the others":
        "保留手动设置的 MAC 地址；其余由 Hyper-V 分配",
    "Keep every adapter's MAC address": "保留每个网卡的 MAC 地址",
    "Let Hyper-V assign new MAC addresses": "由 Hyper-V 分配新的 MAC 地址",
    "Licences and DHCP reservations often depend on a MAC address. Addresses VMware assigned itself are in "
    "VMware's range.": "许可证和 DHCP 保留常常依赖 MAC 地址。VMware 自动分配的地址属于 VMware 的地址段。",
    "MAC addresses:": "MAC 地址：",
    "Re-apply static IP addresses inside the guests that have them": "在使用静态 IP 的客户机内重新应用静态 IP 地址",
    "%1: left out: %2": "%1：已排除：%2",
    "Resume the interrupted migration…": "继续被中断的迁移…",
    "A migration stopped before it finished; continue it where it stopped": "有一个迁移在完成前停止了；可从停止处继续",
    "Type the password in the Password field, then press Next.": "请在“密码”框中输入密码，然后点击“下一步”。",
    "Run the guest fix-ups after creating each VM (remove VMware Tools, re-apply static IPs, bring disks online)":
        "创建每台虚拟机后执行客户机修复（卸载 VMware Tools、重新应用静态 IP、使磁盘联机）",
    "On a Hyper-V host they run inside the new guest; for a bundle they are written down as steps to follow after "
    "the import.": "在 Hyper-V 主机上，修复在新的客户机内执行；对于导入包，修复会写成导入后要执行的步骤。",
    "Estimated space needed: %1. Estimated time: %2 (at about %3/s).":
        "预计所需空间：%1。预计时间：%2（按约 %3/秒计算）。",
    "The migration cannot start": "无法开始迁移",
    "Resume the earlier migration?": "继续之前的迁移吗？",
    "An earlier migration of these VMs to this target stopped before it finished.":
        "之前将这些虚拟机迁移到此目标的任务在完成前停止了。",
    "Resuming keeps the VMs and disks it finished. Starting over converts everything again.":
        "继续会保留已完成的虚拟机和磁盘。重新开始则会重新转换全部内容。",
    "Start over": "重新开始",
    "NTLM": "NTLM", "Kerberos": "Kerberos", "CredSSP": "CredSSP",
    "\\\\hyperv01\\VMs (empty: the share that holds the host's disk folder)":
        "\\\\hyperv01\\VMs（留空：使用包含主机磁盘文件夹的共享）",
    "Only for a self-signed certificate: its SHA-256 thumbprint": "仅用于自签名证书：其 SHA-256 指纹",
    "Sign-in method:": "登录方式：",
    "Disk share:": "磁盘共享：",
    "Certificate thumbprint:": "证书指纹：",
    "Type the password in the Password field of the Target page.": "请在“目标”页面的“密码”框中输入密码。",
    "✘ No VM can be migrated with these settings.": "✘ 按这些设置，没有可以迁移的虚拟机。",
}

_MNEMONIC = re.compile(r"&([^&\s])")


def translate(source: str) -> str | None:
    m = _MNEMONIC.search(source)
    plain = _MNEMONIC.sub(r"\1", source).replace("&&", "&")
    text = ZH.get(plain)
    if text is None or m is None:
        return text
    key = f"(&{m.group(1).upper()})"
    for tail in ("…", "：", " >"):
        if text.endswith(tail):
            return text[: -len(tail)] + key + tail
    if text.startswith("< "):
        return text + key
    return text + key


def fill(ts_path: Path) -> list[str]:
    """Fill every message of ``ts_path``; returns the sources without a translation."""
    tree = ET.parse(ts_path)
    missing = []
    for msg in tree.iter("message"):
        source = msg.find("source").text or ""
        tr = msg.find("translation")
        text = translate(source)
        if text is None:
            missing.append(source)
            continue
        for child in list(tr):
            tr.remove(child)
        tr.attrib.pop("type", None)
        if msg.get("numerus") == "yes":
            tr.text = None
            ET.SubElement(tr, "numerusform").text = text
        else:
            tr.text = text
    tree.write(ts_path, encoding="utf-8", xml_declaration=True)
    return missing


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    ts = here / "hvmigrate_zh_CN.ts"
    missing = fill(ts)
    bindir = Path(sys.executable).parent
    subprocess.run([str(bindir / "pyside6-lrelease"), str(ts), "-qm", str(here / "hvmigrate_zh_CN.qm")], check=True)
    if missing:
        print("untranslated:", *missing, sep="\n  ")
        sys.exit(1)
