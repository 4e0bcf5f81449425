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
    "If you trust this host, copy its thumbprint %1 into the Certificate thumbprint field and check the target "
    "again.": "如果您信任此主机，请将其指纹 %1 复制到“证书指纹”字段中，然后重新检查目标。",
    "Out of date": "版本过旧", "Not running": "未运行", "Not installed": "未安装",
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
    "Hyper-V host": "Hyper-V 主机", "hyperv01.example.com": "hyperv01.example.com", "DOMAIN\\admin": "DOMAIN\\admin",
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
    "A synchronisation to %1 did not finish: %2 of %3 VMs were cut over.":
        "同步到 %1 的任务没有完成：已切换 %3 台中的 %2 台虚拟机。",
    "Resuming goes on from the last sync (only what changed since is copied) and finishes a cut-over that was in "
    "progress; the VMs then keep synchronising until you cut them over.":
        "继续时从上一次同步接着进行（只复制此后的变化），并完成正在进行的切换；之后虚拟机继续同步，直到您切换它们。",
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
    # the window: step panel, help, keyboard, discarding the answers (wizard/ui/window.py, steps.py, help.py)
    "Help": "帮助",
    "What this page is for, what each control does and what happens next (F1)":
        "此页面的用途、每个控件的作用以及接下来会发生什么（F1）",
    "Source": "来源", "Inventory": "清单", "Compatibility": "兼容性", "Target": "目标", "Template": "模板",
    "Networks": "网络", "Summary": "摘要",
    "Discard your answers?": "放弃已填写的内容？",
    "Closing the wizard now discards the answers you gave on these pages. Nothing has been migrated yet.":
        "现在关闭向导将放弃您在这些页面上填写的内容。目前尚未迁移任何虚拟机。",
    "Discard and close": "放弃并关闭", "Keep working": "继续填写",
    "Steps": "步骤", "done": "已完成", "current step": "当前步骤", "not yet": "尚未进行",
    "Step %1: %2, %3": "第 %1 步：%2，%3",
    "hvmigrate help": "hvmigrate 帮助", "%1 — hvmigrate help": "%1 — hvmigrate 帮助",
    "The help for this page is missing (%1). Reinstall hvmigrate.":
        "此页面的帮助文件缺失（%1）。请重新安装 hvmigrate。",
    # progress and done pages: outcomes counted apart, reasons, the bundle's import step, per-VM checks, the log
    "disk %1/%2 · %3": "磁盘 %1/%2 · %3",
    "Save log…": "保存日志…",
    "Save the log below to a text file (to keep it, or to send it to support)":
        "将下面的日志保存为文本文件（留存，或发送给技术支持）",
    "%1 of %2 VMs migrated": "%2 台虚拟机中已迁移 %1 台",
    "%n failed": "%n 台失败", "%n cancelled": "%n 台已取消", "%n skipped": "%n 台已跳过",
    "%n left out by the check": "%n 台被检查排除", "%n to go": "还剩 %n 台", "time left %1": "剩余时间 %1",
    "Then select the VM and click Retry VM.": "然后选择该虚拟机并单击“重试虚拟机”。",
    "Check what the message names; when it is fixed, select the VM and click Retry VM.":
        "请检查消息中指出的对象；解决后选择该虚拟机并单击“重试虚拟机”。",
    "Save the log": "保存日志", "Text files (*.txt)": "文本文件 (*.txt)",
    "hvmigrate migration log, %1": "hvmigrate 迁移日志，%1",
    "The log could not be saved (%1).": "无法保存日志（%1）。",
    "Choose another folder or file name, then click Save log again.":
        "请选择其他文件夹或文件名，然后再次单击“保存日志”。",
    "Log saved to %1.": "日志已保存到 %1。",
    "Back to the migration": "返回迁移",
    "Return to the Progress page to retry the VMs that were not migrated": "返回“进度”页面，重试未迁移的虚拟机",
    "All VMs were migrated": "迁移完成：所有虚拟机均已迁移", "Some VMs were not migrated": "部分虚拟机未迁移",
    "No VM was migrated": "没有虚拟机被迁移",
    "Required: import each VM on the Hyper-V host": "必须执行：在 Hyper-V 主机上导入每台虚拟机",
    "Copy each VM folder to the Hyper-V host and run %1 in it.":
        "将每个虚拟机文件夹复制到 Hyper-V 主机，并在其中运行 %1。",
    "In an elevated Windows PowerShell on the host, in the copied VM folder, run:":
        "在主机上以管理员身份打开 Windows PowerShell，在复制过去的虚拟机文件夹中运行：",
    "%1 checks the switches, free space, VM name and every disk first, and stops with a message if something is "
    "wrong. Each folder has these steps in its README.txt.":
        "%1 会先检查交换机、可用空间、虚拟机名称和每个磁盘，发现问题时会给出消息并停止。"
        "每个文件夹的 README.txt 中也有这些步骤。",
    "Not migrated": "未迁移",
    "It failed; the log on the Progress page says where.": "迁移失败；“进度”页面的日志中说明了失败位置。",
    "It was cancelled before it was migrated; nothing of it was kept.": "它在迁移完成前被取消；未保留任何内容。",
    "It was skipped: left out of this run.": "已跳过：未包含在本次迁移中。",
    "It cannot be retried in this run: change the plan and start a new migration.":
        "无法在本次迁移中重试：请修改计划并开始新的迁移。",
    "What to do: %1": "处理方法：%1",
    "To try again: click Back to the migration, select the VM and click Retry VM (or Retry failed).":
        "如需重试：单击“返回迁移”，选择该虚拟机并单击“重试虚拟机”（或“重试失败项”）。",
    ", gateway %1": "，网关 %1", ", DNS %1": "，DNS %1",
    "Check that the new network adapter has the static address %1%2 (the guest fix-ups set it).":
        "请检查新网卡是否已有静态地址 %1%2（客户机修复已设置该地址）。",
    "Set the static address %1%2 on the new network adapter by hand: Windows keeps it with the old adapter, and the "
    "new one starts without it.":
        "请在新网卡上手动设置静态地址 %1%2：Windows 将该地址保留在旧网卡上，新网卡启动时没有该地址。",
    "Check that the new network adapter has the static address %1%2: its name and MAC address change on Hyper-V, "
    "and a configuration bound to the old ones is not used.":
        "请检查新网卡是否有静态地址 %1%2：在 Hyper-V 上网卡名称和 MAC 地址会改变，"
        "绑定旧名称或旧地址的配置不会生效。",
    "disk %1 of %2 (%3, %4)": "磁盘 %1/%2（%3，%4）",
    "Bring data %1 online in Disk Management and check its drive letter: Windows keeps disks it sees for the first "
    "time offline.":
        "请在“磁盘管理”中将数据%1联机并检查其驱动器号：Windows 会让首次发现的磁盘保持脱机。",
    "Check that data %1 is online and has its drive letter.": "请检查数据%1是否已联机并有驱动器号。",
    "Check that data %1 is mounted where it was (its device name may change).":
        "请检查数据%1是否挂载在原来的位置（其设备名可能会改变）。",
    "Check that the disk is online and has its drive letter or mount point.":
        "请检查磁盘是否已联机并有驱动器号或挂载点。",
    "%1 cannot be written (%2).": "无法写入 %1（%2）。",
    "Check that the folder exists and can be written.": "请检查该文件夹是否存在且可写入。",
    # messages from below the window (compatibility page choices; the rest is resources/i18n/messages_zh_CN.json)
    "drop": "不迁移该设备 (drop)", "convert": "换成 Hyper-V 对应设备 (convert)",
    "block": "不迁移此虚拟机 (block)", ":": "：", "VM name too long for Hyper-V": "虚拟机名称对 Hyper-V 来说过长",
    # honest pages: Source test, Template mixed values and findings, Summary, Target, Networks, Compatibility fixes
    # (wizard/ui/pages/source.py, template.py, summary.py, target.py, networks.py, compatibility.py, finding_fixes.py)
    "The built-in demo is ready.": "内置演示已就绪。",
    "The Address field holds a password (USER:PASSWORD@HOST). Type the password in the Password field and only the "
    "server in Address.": "“地址”框中包含密码（用户:密码@主机）。请在“密码”框中输入密码，“地址”框中只填写服务器。",
    "The Address field names no server; type the name or IP address of the vCenter or ESXi server, e.g. "
    "vcenter.example.com or 10.0.0.5:443.":
        "“地址”框中没有服务器；请输入 vCenter 或 ESXi 服务器的名称或 IP 地址，"
        "例如 vcenter.example.com 或 10.0.0.5:443。",
    "The Address field ends with “:” but no port number; give one after it (vCenter and ESXi use 443) or remove the "
    "“:”.": "“地址”框以“:”结尾但没有端口号；请在其后填写端口（vCenter 和 ESXi 使用 443），或删除“:”。",
    "The Address field starts with “%1://”, which is not a vCenter or ESXi address; type the server's name or IP "
    "address, e.g. vcenter.example.com.":
        "“地址”框以“%1://”开头，这不是 vCenter 或 ESXi 地址；请输入服务器的名称或 IP 地址，例如 vcenter.example.com。",
    "The Address field: “%1” is not a port number; a port is 1 to 65535 (vCenter and ESXi use 443).":
        "“地址”框：“%1”不是端口号；端口为 1 到 65535（vCenter 和 ESXi 使用 443）。",
    "Signed in to %1; the connection works.": "已登录 %1；连接正常。",
    "%1 can be read.": "%1 可以读取。",
    "mixed": "混合", "(mixed)": "（混合）",
    "A template sets sensible values for each VM. Change any value for all ticked VMs or for one VM; the plan is "
    "checked against each VM as you go.":
        "模板为每台虚拟机设置合理的值。可为所有勾选的虚拟机或单台虚拟机更改任意值；计划会随时针对每台虚拟机进行检查。",
    "All ticked VMs: a change applies to every ticked VM. Where the VMs differ, a field shows “mixed” and each VM "
    "keeps its own value until you change that field.":
        "所有勾选的虚拟机：更改应用于每台勾选的虚拟机。虚拟机之间不同的字段显示“混合”，在您更改该字段之前，每台虚拟机保留自己的值。",
    "Generation 2 starts with UEFI (Secure Boot, TPM, boot from SCSI); Generation 1 with BIOS, for guests installed "
    "that way. It must match how the guest was installed, or it will not start.":
        "第 2 代使用 UEFI 启动（安全启动、TPM、从 SCSI 启动）；第 1 代使用 BIOS，适用于以这种方式安装的来宾系统。"
        "它必须与来宾系统的安装方式一致，否则无法启动。",
    "Virtual processors the VM gets.": "虚拟机获得的虚拟处理器数。",
    "Startup memory: what the VM has when it starts.": "启动内存：虚拟机启动时拥有的内存。",
    "Hyper-V gives a running VM more memory when it needs it and takes back what it does not use. Off: the VM always "
    "has its startup memory.":
        "Hyper-V 在运行中的虚拟机需要时分配更多内存，并收回未使用的内存。关闭：虚拟机始终使用其启动内存。",
    "Only signed boot loaders may start the VM (Generation 2 only); it keeps boot-level malware out.":
        "只有经过签名的启动加载程序才能启动虚拟机（仅第 2 代）；可阻止启动级恶意软件。",
    "A virtual security chip (Generation 2 only) for BitLocker and Windows 11. It starts empty: keys in the source's "
    "TPM are not copied.":
        "虚拟安全芯片（仅第 2 代），用于 BitLocker 和 Windows 11。它初始为空：源 TPM 中的密钥不会被复制。",
    "Whose signatures Secure Boot trusts: Microsoft Windows for Windows guests, the Microsoft UEFI Certificate "
    "Authority for Linux.":
        "安全启动信任谁的签名：Windows 来宾使用 Microsoft Windows，Linux 使用 Microsoft UEFI 证书颁发机构。",
    "Dynamically expanding disks grow as data is written; fixed-size disks take all their space at once and are a "
    "little faster.": "动态扩展磁盘随数据写入而增长；固定大小磁盘一次占用全部空间，速度稍快。",
    "Production checkpoints ask the guest to save its data first (like a backup); Standard ones also keep the "
    "memory; Production only never falls back to Standard; Disabled allows none.":
        "生产检查点先让来宾系统保存数据（类似备份）；标准检查点还会保留内存；仅生产从不退回标准检查点；已禁用则不允许检查点。",
    "What the VM does when the Hyper-V host starts up.": "Hyper-V 主机启动时虚拟机的操作。",
    "What happens to the VM when the host shuts down: shut the guest down cleanly, save its memory to disk, or cut "
    "its power.": "主机关闭时虚拟机的处理方式：正常关闭来宾系统、将其内存保存到磁盘，或直接断电。",
    "Reset to template": "恢复为模板",
    "Forget the changes made here for the VMs in “Apply changes to”: the template's values apply again.":
        "放弃此处对“更改应用于”中虚拟机所做的更改：重新使用模板的值。",
    "Microsoft Windows": "Microsoft Windows",
    "Microsoft UEFI Certificate Authority (Linux)": "Microsoft UEFI 证书颁发机构（Linux）",
    "Microsoft UEFI Certificate Authority": "Microsoft UEFI 证书颁发机构",
    "Open Source Shielded VM": "开源受防护的虚拟机",
    "Shut the guest down": "关闭来宾系统", "Save its state": "保存其状态", "Turn it off": "直接关闭电源",
    "Secure Boot template:": "安全启动模板：", "When the host shuts down:": "主机关闭时：",
    "✘ %n VM(s) cannot be migrated with these settings:": "✘ 按这些设置，有 %n 台虚拟机无法迁移：",
    "(all ticked VMs)": "（所有勾选的虚拟机）",
    "Secure Boot template": "安全启动模板", "Checkpoints": "检查点", "When the host starts": "主机启动时",
    "When the host shuts down": "主机关闭时", "on": "开", "off": "关",
    "✔ The settings are valid for all %n VM(s).": "✔ 这些设置对全部 %n 台虚拟机有效。",
    "✔ The settings are valid for all %n VM(s); your changes bring these warnings:":
        "✔ 这些设置对全部 %n 台虚拟机有效；您的更改带来以下警告：",
    "Your changes: %1.": "您的更改：%1。", "%1: %2": "%1：%2", "(%1)": "（%1）", "%1 MiB": "%1 MiB",
    "%1 %2 — %3.": "%1 %2 — %3。",
    "On the source:": "在源上：", "; ": "；",
    "Check what will happen to each VM. Save the plan to run it later from the command line, or press Start "
    "migration.": "请检查每台虚拟机将发生什么。可保存计划以便稍后从命令行运行，或按“开始迁移”。",
    "less than a minute": "不到一分钟", "%1 min": "%1 分钟", "%1 h %2 min": "%1 小时 %2 分钟",
    "the host's default folder": "主机的默认文件夹", "the host's disk share": "主机的磁盘共享",
    "copied as it is (it is not running)": "按原样复制（未在运行）",
    "copied from a snapshot taken for the copy (removed afterwards); the VM keeps running":
        "从为复制而拍摄的快照复制（之后删除）；虚拟机继续运行",
    "shut down before the copy; it stays off once migrated": "复制前关机；迁移后保持关机",
    "copied as it is while it runs: the copy may be inconsistent": "在运行时按原样复制：副本可能不一致",
    "BIOS (no Secure Boot, no TPM)": "BIOS（无安全启动，无 TPM）", "Secure Boot off": "安全启动关闭",
    "virtual TPM on (new and empty)": "虚拟 TPM 开启（新的空 TPM）", "no virtual TPM": "无虚拟 TPM",
    "Enter does not start the migration: press Start migration when you are ready.":
        "按 Enter 不会开始迁移：准备好后请按“开始迁移”。",
    "%n running VM(s) get a snapshot for the copy; it is removed afterwards and the VMs keep running.":
        "%n 台运行中的虚拟机将为复制拍摄快照；快照之后会被删除，虚拟机继续运行。",
    "%n VM(s) are shut down before the copy and stay off.": "%n 台虚拟机将在复制前关机，并保持关机。",
    "%n running VM(s) are copied as they are: the copies may be inconsistent.":
        "%n 台运行中的虚拟机将按原样复制：副本可能不一致。",
    "Nothing is changed on the source: the VMs are read as they are.": "源上不做任何更改：按原样读取虚拟机。",
    "dynamically expanding": "动态扩展", "fixed size": "固定大小", "new MAC from Hyper-V": "由 Hyper-V 分配新 MAC",
    "Static IP addresses %1: re-applied inside the guest by the fix-ups": "静态 IP 地址 %1：由来宾修复在来宾内重新应用",
    "Static IP addresses %1: not re-applied (set them again in the guest)":
        "静态 IP 地址 %1：不重新应用（请在来宾内重新设置）",
    "Static IP addresses %1: not re-applied, because the guest fix-ups are off":
        "静态 IP 地址 %1：不重新应用，因为来宾修复已关闭",
    "not ticked": "未勾选", "not ticked; blocked: %1": "未勾选；受阻：%1", "Left out (%1)": "未包含（%1）",
    "and %n more, not ticked": "另有 %n 台，未勾选",
    "The plan could not be built; go back to the Template page, where the problem is shown.":
        "无法生成计划；请返回“模板”页面，问题显示在那里。",
    "Looking at the bundle folder…": "正在查看包文件夹…",
    "one folder per VM in %1, with its disks and Create-VM.ps1 to run on the Hyper-V host":
        "%1 中每台虚拟机一个文件夹，包含其磁盘以及要在 Hyper-V 主机上运行的 Create-VM.ps1",
    "Source: %1": "源：%1", "Disks: %1": "磁盘：%1", "Network: %1": "网络：%1", "Firmware: %1": "固件：%1",
    "shut the guest down": "关闭来宾系统", "save its state": "保存其状态", "turn it off": "直接关闭电源",
    "do nothing": "不执行任何操作", "start if it was running": "如果之前在运行则启动", "always start": "始终启动",
    "disabled": "已禁用", "production": "生产", "production only": "仅生产", "standard": "标准",
    "Secure Boot on (%1 template)": "安全启动开启（%1 模板）", "Where:": "位置：",
    "VMs in %1; disks in %2": "虚拟机位于 %1；磁盘位于 %2", "disk %1": "磁盘 %1", "MAC %1 kept": "保留 MAC %1",
    "UEFI, %1, %2": "UEFI，%1，%2", "%1: left out": "%1：不包含",
    "switch “%1”, no VLAN": "交换机“%1”，无 VLAN", "switch “%1”, VLAN %2": "交换机“%1”，VLAN %2",
    "What happens to each VM (%1)": "每台虚拟机将发生什么（%1）",
    "Generation %1 · %2 CPU(s) · memory %3": "第 %1 代 · %2 个 CPU · 内存 %3",
    "⚠ The bundle folder already holds a folder for: %1. Those VMs stop with an error instead of overwriting it; "
    "remove the folders or choose another bundle folder.":
        "⚠ 包文件夹中已有以下虚拟机的文件夹：%1。这些虚拟机会报错停止，而不会覆盖它；"
        "请删除这些文件夹或选择其他包文件夹。",
    "%1 dynamic (%2 – %3)": "%1 动态（%2 – %3）",
    "Checkpoints: %1 · when the host starts: %2 · when it shuts down: %3":
        "检查点：%1 · 主机启动时：%2 · 主机关闭时：%3",
    "%1 → %2, %3": "%1 → %2，%3", "%1 (%2) → %3, %4 %5, %6 %7:%8": "%1（%2）→ %3，%4 %5，%6 %7:%8",
    "Empty: the host's default folder for VMs (shown after Check target)":
        "留空：主机的默认虚拟机文件夹（检查目标后显示）",
    "A folder on the Hyper-V host, e.g. D:\\Hyper-V. Each VM's configuration goes there; its disks go to the disk "
    "share.": "Hyper-V 主机上的文件夹，例如 D:\\Hyper-V。每台虚拟机的配置放在这里；其磁盘放在磁盘共享中。",
    "VM folder on the host:": "主机上的虚拟机文件夹：",
    "Folder %1 is usable: it does not exist yet and will be created when the migration starts.":
        "文件夹 %1 可用：它尚不存在，将在迁移开始时创建。",
    "Folder %1 is usable. It already holds %n item(s); each VM's bundle is added beside them in a folder named after "
    "the VM (an existing folder of that name is not overwritten: that VM's migration stops).":
        "文件夹 %1 可用。其中已有 %n 个项目；每台虚拟机的包会添加在它们旁边，放在以虚拟机命名的文件夹中"
        "（不会覆盖同名的现有文件夹：该虚拟机的迁移会停止）。",
    "Folder %1 is usable and empty.": "文件夹 %1 可用且为空。", "Free space: %1.": "可用空间：%1。",
    "Disks: the host shares no folder for them; give a share in Disk share.":
        "磁盘：主机没有为其共享文件夹；请在“磁盘共享”中指定共享。",
    "VM folder on the host: give a full folder path on the host, such as D:\\Hyper-V, or leave it empty for the "
    "host's default.":
        "主机上的虚拟机文件夹：请填写主机上的完整文件夹路径，例如 D:\\Hyper-V，或留空以使用主机的默认文件夹。",
    "VMs go to: %1.": "虚拟机位置：%1。",
    "VMs go to: %1 (the host's default folder for VMs).": "虚拟机位置：%1（主机的默认虚拟机文件夹）。",
    "Disks go to: %1\\hvmigrate\\<VM name> on the host (share %2).":
        "磁盘位置：主机上的 %1\\hvmigrate\\<虚拟机名称>（共享 %2）。",
    "A virtual switch on the Hyper-V host.": "Hyper-V 主机上的虚拟交换机。",
    "The name of a virtual switch that exists on the Hyper-V host where the bundle is imported; Create-VM.ps1 does "
    "not create switches.": "导入包的 Hyper-V 主机上已存在的虚拟交换机名称；Create-VM.ps1 不会创建交换机。",
    "Put every network on one switch?": "将所有网络放到一个交换机上？",
    "VMs and adapters that were on separate networks (for example a database network or a cluster heartbeat) will "
    "share one network, unless VLANs keep them apart.":
        "原本位于不同网络（例如数据库网络或群集检测信号网络）的虚拟机和网络适配器将共享一个网络，"
        "除非用 VLAN 将它们隔开。",
    "Use one switch": "使用一个交换机", "Change the switches": "更改交换机",
    "A bundle is imported later, so hvmigrate cannot list that host's switches: each network starts with its own "
    "name. Each name must be a virtual switch that exists on the Hyper-V host where Create-VM.ps1 is run; if one does "
    "not, the script stops before creating the VM and names the missing switch (it creates no switches). Type the "
    "host's switch names, or leave a name empty for an adapter that is not connected.":
        "包是以后才导入的，因此 hvmigrate 无法列出该主机的交换机：每个网络先填入它自己的名称。每个名称都必须是运行 "
        "Create-VM.ps1 的 Hyper-V 主机上已存在的虚拟交换机；如果不存在，脚本会在创建虚拟机之前停止并指出缺少的交换机"
        "（它不会创建交换机）。请输入该主机的交换机名称，或留空以使网络适配器不连接。",
    "All %n source network(s) go to the virtual switch “%1”.": "全部 %n 个源网络都连接到虚拟交换机“%1”。",
    "The lists hold the virtual switches of %1. A network you leave without a switch gets an adapter that is not "
    "connected.": "列表中是 %1 的虚拟交换机。未指定交换机的网络，其网络适配器将不连接。",
    "⚠ Every network goes to the switch “%1”: VMs and adapters that were on separate networks will share one "
    "network.": "⚠ 所有网络都连接到交换机“%1”：原本位于不同网络的虚拟机和网络适配器将共享一个网络。",
    "⚠ Not a virtual switch of this host: %1. VMs with an adapter on it are not created.":
        "⚠ 不是此主机的虚拟交换机：%1。有网络适配器连接到它的虚拟机将不会被创建。",
    "Fix it here": "在此修复",
    "Not offered: it would block this VM for another reason. %1: %2": "不提供：这会因另一个原因使此虚拟机受阻。%1：%2",
    "Leave the disk out (the “Leave this disk out” button on the Compatibility page) and give the LUN to the new VM "
    "another way, or switch it to virtual mode on the source (storage vMotion to a VMDK) first.":
        "不包含该磁盘（“兼容性”页面上的“不包含此磁盘”按钮），并以其他方式将 LUN 提供给新虚拟机；"
        "或先在源上将其切换为虚拟模式（通过存储 vMotion 迁移到 VMDK）。",
    "Write the disk as VHDX (Disks on the Template page).": "将磁盘写为 VHDX（“模板”页面上的“磁盘”）。",
    "Copy it again with the “Copy this disk” button on the Compatibility page.":
        "使用“兼容性”页面上的“复制此磁盘”按钮重新复制它。",
    "If the VM needs it, copy it again with the “Copy this disk” button on the Compatibility page.":
        "如果虚拟机需要它，请使用“兼容性”页面上的“复制此磁盘”按钮重新复制它。",
    "Choose Generation %1 for this VM on the Template page (or press Reset to template).":
        "在“模板”页面上为此虚拟机选择第 %1 代（或按“恢复为模板”）。",
    "Choose Generation %1 on the Template page (or press Reset to template), or convert the guest's boot loader to "
    "%2 inside the guest before migrating.":
        "在“模板”页面上选择第 %1 代（或按“恢复为模板”），或在迁移前于来宾系统内将启动加载程序转换为 %2。",
    "Untick Secure Boot on the Template page.": "在“模板”页面上取消勾选“安全启动”。",
    "Choose the Microsoft UEFI Certificate Authority Secure Boot template on the Template page, or untick Secure "
    "Boot.": "在“模板”页面上选择 Microsoft UEFI 证书颁发机构安全启动模板，或取消勾选“安全启动”。",
    "Choose the Microsoft Windows Secure Boot template on the Template page.":
        "在“模板”页面上选择 Microsoft Windows 安全启动模板。",
    "Tick Virtual TPM and Secure Boot on the Template page.": "在“模板”页面上勾选“虚拟 TPM”和“安全启动”。",
    "Suspend BitLocker or save the recovery key before the move, or tick Virtual TPM on the Template page.":
        "迁移前暂停 BitLocker 或保存恢复密钥，或在“模板”页面上勾选“虚拟 TPM”。",
    "Leave the version empty (the host's default), or check a Hyper-V host on the Target page so that its version "
    "is known.": "将版本留空（使用主机默认值），或在“目标”页面上检查 Hyper-V 主机以获知其版本。",
    "Untick Secure Boot and Virtual TPM for this VM on the Template page, or choose Generation 2.":
        "在“模板”页面上为此虚拟机取消勾选“安全启动”和“虚拟 TPM”，或选择第 2 代。",
    "Migrate it to a Windows Server %1 or later host (check the host on the Target page to see its version).":
        "将其迁移到 Windows Server %1 或更高版本的主机（在“目标”页面上检查主机以查看其版本）。",
    "Use at most %1 CPUs (CPUs on the Template page).": "最多使用 %1 个 CPU（“模板”页面上的“CPU”）。",
    "Type the VM's memory in Memory on the Template page.": "在“模板”页面的“内存”中输入虚拟机的内存。",
    "Rename it on the Hyper-V host after the move if needed.": "如有需要，迁移后在 Hyper-V 主机上重命名。",
    "Pick a virtual switch for the source network on the Networks page.": "在“网络”页面上为源网络选择虚拟交换机。",
    "If the switch carries several VLANs, type VLAN %1 for %2 on the Networks page.":
        "如果该交换机承载多个 VLAN，请在“网络”页面上为 %2 输入 VLAN %1。",
    "Delete the snapshot “%1” in vSphere (Snapshots > Manage Snapshots), or resume the interrupted migration from "
    "the Source page, which removes it.":
        "在 vSphere 中删除快照“%1”（快照 > 管理快照），或从“来源”页面继续中断的迁移，迁移会删除该快照。",
    "For the final cut-over, choose “Shut down first” for Running VMs on the Template page (the guest is shut down "
    "first and stays off once migrated), in a maintenance window.":
        "进行最终切换时，请在维护时段内于“模板”页面的“运行中的虚拟机”中选择“先关机”（来宾系统先关机，迁移后保持关机）。",
    "Write the disks as VHDX": "将磁盘写为 VHDX", "Copy this disk": "复制此磁盘", "Leave this disk out": "不包含此磁盘",
    "Turn Secure Boot on": "开启安全启动", "Turn Secure Boot off": "关闭安全启动",
    "Turn the virtual TPM on": "开启虚拟 TPM", "Turn the virtual TPM off": "关闭虚拟 TPM",
    "Use the %1 Secure Boot template": "使用 %1 安全启动模板", "Use %1 CPUs": "使用 %1 个 CPU",
    "Leave %1 out": "不包含 %1", "Replace %1 with the Hyper-V equivalent": "用 Hyper-V 中的对应设备替换 %1",
    "Turn Secure Boot and the virtual TPM on": "开启安全启动和虚拟 TPM",
    "Turn Secure Boot and the virtual TPM off": "关闭安全启动和虚拟 TPM",
    "Type at least %1 MB in Memory on the Template page.": "在“模板”页面的“内存”中输入至少 %1 MB。",
    "To start from another disk, choose it under Choices on the Compatibility page.":
        "要从另一个磁盘启动，请在“兼容性”页面的“选项”中选择它。",
    "Check the source VM's firmware setting and its boot disk; choose the generation that matches the disk under "
    "Generation on the Template page, or choose the right boot disk under Choices on the Compatibility page.":
        "请检查源虚拟机的固件设置及其启动磁盘；在“模板”页面的“代”中选择与磁盘相符的代，"
        "或在“兼容性”页面的“选项”中选择正确的启动磁盘。",
    "Turn it on with the “Turn nested virtualization on” button on the Compatibility page if the guest runs VMs or "
    "containers with isolation.":
        "如果来宾系统运行虚拟机或隔离容器，请使用“兼容性”页面上的“开启嵌套虚拟化”按钮将其开启。",
    "Nothing to do; turn it off with the “Turn nested virtualization off” button on the Compatibility page if the "
    "guest no longer needs it.":
        "无需处理；如果来宾系统不再需要，请使用“兼容性”页面上的“关闭嵌套虚拟化”按钮将其关闭。",
    "Leave disks out until four remain, or merge their data on the source.":
        "不包含部分磁盘直到只剩四个，或在源上合并它们的数据。",
    "Choose “Let Hyper-V assign new MAC addresses” under MAC addresses on the Networks page, or give a valid address "
    "on the source.": "在“网络”页面的“MAC 地址”中选择“由 Hyper-V 分配新的 MAC 地址”，或在源上设置有效的地址。",
    "To use another configuration, choose it under Choices on the Compatibility page.":
        "要使用其他配置，请在“兼容性”页面的“选项”中选择它。",
    "Let Hyper-V assign the MAC addresses": "由 Hyper-V 分配 MAC 地址",
    "Turn nested virtualization on": "开启嵌套虚拟化", "Turn nested virtualization off": "关闭嵌套虚拟化",
    "Use %1 MB of memory": "使用 %1 MB 内存",
    # the free-space override on the Target page
    "Skip the free-space check": "跳过可用空间检查",
    "hvmigrate estimates each disk by the data its source holds. Tick this only if you know there is room: a VM "
    "whose disks do not fit fails when the target runs full.":
        "hvmigrate 按源磁盘实际存放的数据估算每个磁盘。只有在确知空间足够时才勾选："
        "磁盘放不下的虚拟机会在目标写满时失败。",
    # the sync policy (synchronise, then cut over): Template, Summary and Progress pages, closing the window
    "Synchronise, then cut over with minimal downtime": "先同步，再以最短停机时间切换",
    "Changed block tracking is turned on where it is off (it takes effect at the next snapshot). A first copy is "
    "made while the VM runs, then only what changed is copied at every sync interval and on Sync now. When you "
    "click Cut over on the Progress page, the guest is shut down through VMware Tools, the last changes are copied "
    "and checked and the VM is created on the Hyper-V host (or its import bundle is completed); the source stays "
    "off. The downtime is the last changes, not the whole copy.":
        "未开启更改块跟踪（CBT）的虚拟机会被开启该功能（在下一次快照时生效）。虚拟机运行期间先做一次完整复制，"
        "之后每个同步间隔以及点击“立即同步”时只复制变化的部分。在“进度”页面点击“切换”后，将通过 VMware Tools "
        "关闭来宾系统，复制并校验最后的变化，并在 Hyper-V 主机上创建该虚拟机（或完成其导入包）；源虚拟机保持关机。"
        "停机时间只是复制最后变化的时间，而不是整个复制过程。",
    "every ": "每 ", " min": " 分钟",
    "Minutes between two syncs of a synchronised VM until it is cut over (Sync now on the Progress page syncs at "
    "once).": "已同步的虚拟机在切换前两次同步之间相隔的分钟数（在“进度”页面点击“立即同步”可马上同步）。",
    "Sync interval:": "同步间隔：",
    "How VMs that are running on vSphere are copied. A snapshot lets them keep serving; the copy has their state "
    "at the moment of the snapshot. Shutting down gives the final, complete state. Synchronising keeps a copy "
    "current while they run and shuts them down only for the cut-over.":
        "vSphere 上正在运行的虚拟机如何复制。使用快照时虚拟机可继续提供服务，副本为拍摄快照时的状态；"
        "先关机则得到最终的完整状态；同步则在虚拟机运行期间保持副本为最新，只在切换时关机。",
    "%n VM(s) are synchronised while they run: changed block tracking is turned on where it is off, and each sync "
    "takes a snapshot and removes it. When you click Cut over on the Progress page they are shut down through "
    "VMware Tools and stay off.":
        "%n 台虚拟机在运行期间同步：未开启更改块跟踪的会被开启，每次同步都会创建一个快照并在之后删除。"
        "在“进度”页面点击“切换”后，它们将通过 VMware Tools 关机并保持关机。",
    "synchronised while it runs, every %n minute(s) and on Sync now; shut down through VMware Tools when you cut "
    "it over, and it stays off":
        "运行期间同步，每 %n 分钟一次以及点击“立即同步”时；切换时通过 VMware Tools 关机，之后保持关机",
    "queued": "排队中", "initial sync": "初次同步", "synchronised": "已同步", "syncing": "同步中",
    "cutting over": "切换中", "failed": "失败", "cancelled": "已取消", "Step": "步骤",
    "done · downtime %1 s": "已完成 · 停机 %1 秒",
    "done · downtime %1 s (until the Hyper-V VM started)": "已完成 · 停机 %1 秒（至 Hyper-V 虚拟机启动）",
    "done · downtime %1 s (until the import bundle was complete; import and start it on the host)":
        "已完成 · 停机 %1 秒（至导入包完成；请在主机上导入并启动）",
    "done · downtime %1 s (until the VM was created)": "已完成 · 停机 %1 秒（至虚拟机创建完成）",
    "Sign in: the cut-over started it; the first start takes longer while drivers settle.":
        "请登录：切换已启动该虚拟机；首次启动时驱动程序需要适应，耗时较长。", "last sync %1": "上次同步 %1", "%1 changed": "变化 %1",
    "next in %1 min": "%1 分钟后再次同步", "next in %1 s": "%1 秒后再次同步", "cut-over requested": "已请求切换",
    "the cut-over failed (see the log)": "切换失败（见日志）",
    "Synchronised while they run (changed block tracking):": "运行期间同步（更改块跟踪）：",
    "Sync now": "立即同步",
    "Copy what changed on the ticked VMs (none ticked: every VM) now, instead of at the next interval. The VMs "
    "keep running.": "立即复制已勾选虚拟机（未勾选则为所有虚拟机）的变化，而不是等到下一个间隔。虚拟机继续运行。",
    "Cut over…": "切换…", "Cut over": "切换", "Not yet": "暂不",
    "Shut the ticked VMs (none ticked: every VM) down through VMware Tools, copy their last changes and finish "
    "them. Asks first.": "通过 VMware Tools 关闭已勾选的虚拟机（未勾选则为所有虚拟机），复制最后的变化并完成迁移。"
                        "执行前会先询问。",
    "Cut over %n VM(s)?": "切换 %n 台虚拟机？",
    "%1 will be shut down through VMware Tools (never powered off hard) and stay off. Their last changes are copied "
    "and checked, then each VM's bundle folder is completed; the downtime shown is measured from the shutdown to "
    "the completed bundle. hvmigrate cannot start these VMs: each serves again only once you have imported it with "
    "Create-VM.ps1 on the Hyper-V host and started it.":
        "%1 将通过 VMware Tools 关机（绝不强制断电）并保持关机。复制并校验最后的变化后，完成每台虚拟机的导入包文件夹；"
        "显示的停机时间从关机算到导入包完成。hvmigrate 无法启动这些虚拟机：只有在 Hyper-V 主机上用 Create-VM.ps1 "
        "导入并启动后，它们才会重新提供服务。",
    "%1 will be shut down through VMware Tools (never powered off hard) and stay off. Their last changes are copied "
    "and checked, then each VM is created and started on the Hyper-V host; the downtime shown is measured from the "
    "shutdown until the VM's start returned. A VM that does not start is reported, and its source stays off.":
        "%1 将通过 VMware Tools 关机（绝不强制断电）并保持关机。复制并校验最后的变化后，在 Hyper-V 主机上创建并启动"
        "每台虚拟机；显示的停机时间从关机算到虚拟机启动完成。无法启动的虚拟机会被报告，其源虚拟机保持关机。",
    "For the %n ticked VM(s).": "作用于已勾选的 %n 台虚拟机。",
    "No VM ticked: for every VM.": "未勾选虚拟机：作用于所有虚拟机。",
    "%1 of %2 cut over": "%2 台中已切换 %1 台",
    "Synchronised VMs keep running and are copied again every %n minute(s) until you cut them over; tick VMs to act "
    "on some of them only.":
        "同步的虚拟机保持运行，每 %n 分钟再复制一次，直到您进行切换；勾选虚拟机可只对其中部分操作。",
    "Synchronisation of %n VM(s) started.": "已开始同步 %n 台虚拟机。",
    "Synchronised VMs stop syncing and are not cut over; their synchronised disks and the journal are kept, so that "
    "a resume goes on from the last sync.":
        "同步的虚拟机停止同步且不会切换；已同步的磁盘和日志会保留，恢复时从上次同步继续。",
    "VMs are being synchronised and are not cut over yet. Closing stops the syncs; the synchronised disks and the "
    "journal are kept. To go on, start hvmigrate again, choose the same VMs, Synchronise and the same target, and "
    "click Resume when Start asks: it continues from the last sync instead of copying everything again.":
        "虚拟机正在同步，尚未切换。关闭会停止同步；已同步的磁盘和日志会保留。要继续，请再次启动 hvmigrate，"
        "选择相同的虚拟机、“同步”和相同的目标，并在开始时询问时点击“恢复”：将从上次同步继续，"
        "而不是重新复制全部内容。",
    "A cut-over is in progress: its source VM may stay off until you resume, which finishes the cut-over.":
        "切换正在进行：其源虚拟机可能保持关机，直到您恢复并完成切换。",
    "The other VMs' migration stops too; what is not finished is cleaned up.":
        "其他虚拟机的迁移也会停止；未完成的部分将被清理。",
    "Prepare Linux guests for Hyper-V": "为 Hyper-V 准备 Linux 客户机",
    "After converting a Linux VM's disks, hvmigrate changes the guest offline so that it starts on Hyper-V: "
    "the Hyper-V drivers go into its initramfs, its network settings are bound to the new adapter, VMware "
    "Tools from VMware's installer are removed. Each original file is kept and the report lists every "
    "change. Needs a Linux workstation with libguestfs; Windows guests are not affected.":
        "转换 Linux 虚拟机的磁盘后，hvmigrate 会离线修改客户机，使其能在 Hyper-V 上启动：将 Hyper-V 驱动加入其 "
        "initramfs，将其网络设置绑定到新适配器，并删除通过 VMware 安装程序安装的 VMware Tools。每个原始文件都会保留，"
        "报告会列出每项更改。需要装有 libguestfs 的 Linux 工作站；Windows 客户机不受影响。",
    "Guests:": "客户机：",
    "Prepare Linux guests": "准备 Linux 客户机",
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
