<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>CompatibilityPage</name>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="39" />
        <source>Can these VMs run on Hyper-V?</source>
        <translation>这些虚拟机能在 Hyper-V 上运行吗？</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="40" />
        <source>Red: blocked until fixed or unticked. Amber: works, but read the warning. Green: nothing to do.</source>
        <translation>红色：修复或取消勾选前无法迁移。黄色：可以迁移，但请阅读警告。绿色：无需处理。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="44" />
        <source>VM</source>
        <translation>虚拟机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="44" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="47" />
        <source>Severity</source>
        <translation>严重性</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="47" />
        <source>Finding</source>
        <translation>检查结果</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="51" />
        <source>Choices</source>
        <translation>选项</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="56" />
        <source>Fix it here</source>
        <translation>在此修复</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="63" />
        <source>Export &amp;HTML…</source>
        <translation>导出 HTML(&amp;H)…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="64" />
        <source>Export &amp;CSV…</source>
        <translation>导出 CSV(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="94" />
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="94" />
        <source>Blocked</source>
        <translation>受阻</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="94" />
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="95" />
        <source>Note</source>
        <translation>提示</translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/compatibility.py" line="132" />
        <source>Checking %n VM(s)…</source>
        <translation><numerusform>正在检查 %n 台虚拟机…</numerusform></translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="174" />
        <source>%1 VM(s) ticked: %2 blocked, %3 with warnings.</source>
        <translation>已勾选 %1 台虚拟机：%2 台受阻，%3 台有警告。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="177" />
        <source>Fix or untick the blocked VMs to continue.</source>
        <translation>请修复或取消勾选受阻的虚拟机后继续。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="200" />
        <source>No problems found: this VM can be migrated as it is.</source>
        <translation>未发现问题：此虚拟机可以直接迁移。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="212" />
        <source>Done automatically:</source>
        <translation>已自动处理：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="212" />
        <source>What to do:</source>
        <translation>处理方法：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="215" />
        <source>Source:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="238" />
        <source>Not offered: it would block this VM for another reason. %1: %2</source>
        <translation>不提供：这会因另一个原因使此虚拟机受阻。%1：%2</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="255" />
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="255" />
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="256" />
        <source>drop</source>
        <translation>不迁移该设备 (drop)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="256" />
        <source>convert</source>
        <translation>换成 Hyper-V 对应设备 (convert)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="256" />
        <source>block</source>
        <translation>不迁移此虚拟机 (block)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="270" />
        <source>:</source>
        <translation>：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="286" />
        <source>HTML report (*.html)</source>
        <translation>HTML 报告 (*.html)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="286" />
        <source>CSV file (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="287" />
        <source>Export the compatibility report</source>
        <translation>导出兼容性报告</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="295" />
        <source>Saved %1.</source>
        <translation>已保存 %1。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="296" />
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="35" />
        <source>Finished</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="42" />
        <source>Back to the &amp;migration</source>
        <translation>返回迁移(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="43" />
        <source>Return to the Progress page to retry the VMs that were not migrated</source>
        <translation>返回“进度”页面，重试未迁移的虚拟机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="44" />
        <source>&amp;Open output folder</source>
        <translation>打开输出文件夹(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="45" />
        <source>Open the &amp;report</source>
        <translation>打开报告(&amp;R)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/done.py" line="82" />
        <source>%n failed</source>
        <translation><numerusform>%n 台失败</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/done.py" line="83" />
        <source>%n cancelled</source>
        <translation><numerusform>%n 台已取消</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/done.py" line="84" />
        <source>%n skipped</source>
        <translation><numerusform>%n 台已跳过</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/done.py" line="85" />
        <source>%n left out by the check</source>
        <translation><numerusform>%n 台被检查排除</numerusform></translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="94" />
        <source>All VMs were migrated</source>
        <translation>迁移完成：所有虚拟机均已迁移</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="96" />
        <source>Some VMs were not migrated</source>
        <translation>部分虚拟机未迁移</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="98" />
        <source>No VM was migrated</source>
        <translation>没有虚拟机被迁移</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="99" />
        <source>%1 of %2 VMs were migrated.</source>
        <translation>%2 台虚拟机中已迁移 %1 台。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="105" />
        <source>Migrated: %1.</source>
        <translation>已迁移：%1。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="105" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="236" />
        <source>, gateway %1</source>
        <translation>，网关 %1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="238" />
        <source>, DNS %1</source>
        <translation>，DNS %1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="240" />
        <source>Check that the new network adapter has the static address %1%2 (the guest fix-ups set it).</source>
        <translation>请检查新网卡是否已有静态地址 %1%2（客户机修复已设置该地址）。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="243" />
        <source>Set the static address %1%2 on the new network adapter by hand: Windows keeps it with the old adapter, and the new one starts without it.</source>
        <translation>请在新网卡上手动设置静态地址 %1%2：Windows 将该地址保留在旧网卡上，新网卡启动时没有该地址。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="246" />
        <source>Check that the new network adapter has the static address %1%2: its name and MAC address change on Hyper-V, and a configuration bound to the old ones is not used.</source>
        <translation>请检查新网卡是否有静态地址 %1%2：在 Hyper-V 上网卡名称和 MAC 地址会改变，绑定旧名称或旧地址的配置不会生效。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="317" />
        <source>%1 cannot be written (%2).</source>
        <translation>无法写入 %1（%2）。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="319" />
        <source>Check that the folder exists and can be written.</source>
        <translation>请检查该文件夹是否存在且可写入。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="102" />
        <location filename="../../wizard/ui/pages/done.py" line="107" />
        <source>Not migrated: %1.</source>
        <translation>未迁移：%1。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="150" />
        <source>Required: import each VM on the Hyper-V host</source>
        <translation>必须执行：在 Hyper-V 主机上导入每台虚拟机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="151" />
        <source>Copy each VM folder to the Hyper-V host and run %1 in it.</source>
        <translation>将每个虚拟机文件夹复制到 Hyper-V 主机，并在其中运行 %1。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="152" />
        <source>In an elevated Windows PowerShell on the host, in the copied VM folder, run:</source>
        <translation>在主机上以管理员身份打开 Windows PowerShell，在复制过去的虚拟机文件夹中运行：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="153" />
        <source>%1 checks the switches, free space, VM name and every disk first, and stops with a message if something is wrong. Each folder has these steps in its README.txt.</source>
        <translation>%1 会先检查交换机、可用空间、虚拟机名称和每个磁盘，发现问题时会给出消息并停止。每个文件夹的 README.txt 中也有这些步骤。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="172" />
        <source>Not migrated</source>
        <translation>未迁移</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="179" />
        <source>It failed; the log on the Progress page says where.</source>
        <translation>迁移失败；“进度”页面的日志中说明了失败位置。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="180" />
        <source>It was cancelled before it was migrated; nothing of it was kept.</source>
        <translation>它在迁移完成前被取消；未保留任何内容。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="181" />
        <source>It was skipped: left out of this run.</source>
        <translation>已跳过：未包含在本次迁移中。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="185" />
        <source>It cannot be retried in this run: change the plan and start a new migration.</source>
        <translation>无法在本次迁移中重试：请修改计划并开始新的迁移。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="188" />
        <source>What to do: %1</source>
        <translation>处理方法：%1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="192" />
        <source>To try again: click Back to the migration, select the VM and click Retry VM (or Retry failed).</source>
        <translation>如需重试：单击“返回迁移”，选择该虚拟机并单击“重试虚拟机”（或“重试失败项”）。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="201" />
        <source>What to check on each new VM</source>
        <translation>每台新虚拟机需要检查的事项</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="225" />
        <source>Sign in: the cut-over started it; the first start takes longer while drivers settle.</source>
        <translation>请登录：切换已启动该虚拟机；首次启动时驱动程序需要适应，耗时较长。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="226" />
        <source>Start it and sign in; the first start takes longer while drivers settle.</source>
        <translation>启动并登录；首次启动时驱动程序需要适配，耗时较长。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="250" />
        <source>Check the network: IP address, gateway and DNS; ping a server.</source>
        <translation>检查网络：IP 地址、网关和 DNS；ping 一台服务器。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="256" />
        <source>disk %1 of %2 (%3, %4)</source>
        <translation>磁盘 %1/%2（%3，%4）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="259" />
        <source>Bring data %1 online in Disk Management and check its drive letter: Windows keeps disks it sees for the first time offline.</source>
        <translation>请在“磁盘管理”中将数据%1联机并检查其驱动器号：Windows 会让首次发现的磁盘保持脱机。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="262" />
        <source>Check that data %1 is online and has its drive letter.</source>
        <translation>请检查数据%1是否已联机并有驱动器号。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="264" />
        <source>Check that data %1 is mounted where it was (its device name may change).</source>
        <translation>请检查数据%1是否挂载在原来的位置（其设备名可能会改变）。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="267" />
        <source>Check that the disk is online and has its drive letter or mount point.</source>
        <translation>请检查磁盘是否已联机并有驱动器号或挂载点。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="269" />
        <source>Windows may ask to be activated again after the hardware change.</source>
        <translation>硬件变化后，Windows 可能要求重新激活。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="270" />
        <source>Remove VMware Tools if it is still listed in Apps.</source>
        <translation>如果“应用”中仍列出 VMware Tools，请将其卸载。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="272" />
        <source>Check that the Hyper-V drivers (hv_vmbus, hv_storvsc, hv_netvsc) are loaded.</source>
        <translation>检查 Hyper-V 驱动程序（hv_vmbus、hv_storvsc、hv_netvsc）已加载。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="228" />
        <location filename="../../wizard/ui/pages/done.py" line="273" />
        <source>Keep the source VM switched off until you are satisfied, then retire it.</source>
        <translation>在确认无误之前保持源虚拟机关机，之后再将其停用。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="301" />
        <source>Report saved to %1.</source>
        <translation>报告已保存到 %1。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="305" />
        <source>Writing the report…</source>
        <translation>正在写入报告…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="310" />
        <source>The report could not be written: %1</source>
        <translation>无法写入报告：%1</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <location filename="../../wizard/ui/errors.py" line="53" />
        <source>Something unexpected went wrong.</source>
        <translation>发生了意外错误。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/errors.py" line="54" />
        <source>Try again. If it happens again, copy the details and send them to your support contact.</source>
        <translation>请重试。如果再次发生，请复制详细信息并发送给您的技术支持人员。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/errors.py" line="65" />
        <source>hvmigrate — problem</source>
        <translation>hvmigrate — 出现问题</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/errors.py" line="95" />
        <location filename="../../wizard/ui/errors.py" line="122" />
        <source>Show &amp;details</source>
        <translation>显示详细信息(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/errors.py" line="99" />
        <source>&amp;Copy details</source>
        <translation>复制详细信息(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/errors.py" line="104" />
        <source>C&amp;lose</source>
        <translation>关闭(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/errors.py" line="122" />
        <source>Hide &amp;details</source>
        <translation>隐藏详细信息(&amp;D)</translation>
    </message>
</context>
<context>
    <name>Findings</name>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="20" />
        <source>Generation follows the source firmware</source>
        <translation>代数与源固件一致</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="21" />
        <source>Generation does not match the source firmware</source>
        <translation>代数与源固件不一致</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="22" />
        <source>32-bit guest cannot run on Generation 2</source>
        <translation>32 位客户机无法在第 2 代上运行</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="23" />
        <source>Guest not listed for Generation 2</source>
        <translation>客户机未列入第 2 代支持列表</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="24" />
        <source>Generation 1 has no Secure Boot or TPM</source>
        <translation>第 1 代没有安全启动和 TPM</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="25" />
        <source>Guest OS not supported on Hyper-V</source>
        <translation>Hyper-V 不支持此客户机操作系统</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="26" />
        <source>Guest OS is out of vendor support</source>
        <translation>客户机操作系统已超出厂商支持期</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="27" />
        <source>Guest OS not recognised</source>
        <translation>无法识别客户机操作系统</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="28" />
        <source>Guest needs a newer Hyper-V host</source>
        <translation>客户机需要更新版本的 Hyper-V 主机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="29" />
        <source>More virtual processors than the guest supports</source>
        <translation>虚拟处理器数超过客户机支持的数量</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="30" />
        <source>Linux needs Hyper-V drivers in its boot image</source>
        <translation>Linux 启动映像中需要 Hyper-V 驱动程序</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="31" />
        <source>Secure Boot turned off for this guest</source>
        <translation>已为此客户机关闭安全启动</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="32" />
        <source>Linux Secure Boot needs the UEFI CA template</source>
        <translation>Linux 安全启动需要 UEFI CA 模板</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="33" />
        <source>Windows Secure Boot needs the Windows template</source>
        <translation>Windows 安全启动需要 Windows 模板</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="34" />
        <source>Windows 11 needs Secure Boot and a virtual TPM</source>
        <translation>Windows 11 需要安全启动和虚拟 TPM</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="35" />
        <source>The source's virtual TPM cannot be copied</source>
        <translation>无法复制源虚拟机的虚拟 TPM</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="36" />
        <source>Encrypted VM or disk</source>
        <translation>加密的虚拟机或磁盘</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="37" />
        <source>Configuration version not supported by the host</source>
        <translation>主机不支持此配置版本</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="38" />
        <source>Configuration version too old for the chosen features</source>
        <translation>配置版本过旧，无法使用所选功能</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="39" />
        <source>More virtual processors than the host allows</source>
        <translation>虚拟处理器数超过主机允许的数量</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="40" />
        <source>Memory size unknown</source>
        <translation>内存大小未知</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="41" />
        <source>More memory than the host allows</source>
        <translation>内存超过主机允许的大小</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="42" />
        <source>Memory rounded to 2 MiB</source>
        <translation>内存已按 2 MiB 取整</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="43" />
        <source>Dynamic memory bounds adjusted</source>
        <translation>已调整动态内存范围</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="44" />
        <source>More network adapters than the host allows</source>
        <translation>网卡数超过主机允许的数量</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="45" />
        <source>VM has no disks</source>
        <translation>虚拟机没有磁盘</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="46" />
        <source>Physical-mode raw device mapping</source>
        <translation>物理模式裸设备映射</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="47" />
        <source>Virtual-mode raw device mapping</source>
        <translation>虚拟模式裸设备映射</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="48" />
        <source>Shared or clustered disk</source>
        <translation>共享或群集磁盘</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="49" />
        <source>Independent or non-persistent disk</source>
        <translation>独立或非持久磁盘</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="50" />
        <source>Disk on vSAN</source>
        <translation>磁盘位于 vSAN 上</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="51" />
        <source>Disk larger than 64 TB</source>
        <translation>磁盘大于 64 TB</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="52" />
        <source>Disk file missing or damaged</source>
        <translation>磁盘文件缺失或已损坏</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="53" />
        <source>ARM guest on an x64 Hyper-V host</source>
        <translation>ARM 客户机无法在 x64 Hyper-V 主机上运行</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="54" />
        <source>VM is inaccessible or orphaned in vCenter</source>
        <translation>虚拟机在 vCenter 中不可访问或已孤立</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="55" />
        <source>Disk size unknown</source>
        <translation>磁盘大小未知</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="56" />
        <source>Disk too large for the VHD format</source>
        <translation>磁盘对 VHD 格式来说过大</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="57" />
        <source>Disk left out</source>
        <translation>磁盘未包含</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="58" />
        <source>Disk placement</source>
        <translation>磁盘位置</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="59" />
        <source>Disk placement not valid</source>
        <translation>磁盘位置无效</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="60" />
        <source>Generation 1 boot disk moves to IDE</source>
        <translation>第 1 代启动磁盘改接到 IDE</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="61" />
        <source>More IDE disks than Generation 1 has slots</source>
        <translation>IDE 磁盘数超过第 1 代的插槽数</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="62" />
        <source>IDE disks move to SCSI on Generation 2</source>
        <translation>第 2 代上 IDE 磁盘改接到 SCSI</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="63" />
        <source>More disks than Hyper-V can attach</source>
        <translation>磁盘数超过 Hyper-V 可连接的数量</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="64" />
        <source>Disk controllers change</source>
        <translation>磁盘控制器将改变</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="65" />
        <source>Generation 1 boot disk larger than 2 TB</source>
        <translation>第 1 代启动磁盘大于 2 TB</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="66" />
        <source>USB devices are not carried over</source>
        <translation>USB 设备不会迁移</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="67" />
        <source>Serial port</source>
        <translation>串口</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="68" />
        <source>Parallel port</source>
        <translation>并口</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="69" />
        <source>Floppy drive</source>
        <translation>软盘驱动器</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="70" />
        <source>CD/DVD drive with media</source>
        <translation>CD/DVD 驱动器中有介质</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="71" />
        <source>PCI passthrough device</source>
        <translation>PCI 直通设备</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="72" />
        <source>Virtual GPU</source>
        <translation>虚拟 GPU</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="73" />
        <source>Device not carried over</source>
        <translation>设备不会迁移</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="74" />
        <source>Legacy network adapter for an old guest</source>
        <translation>为旧客户机使用旧版网卡</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="75" />
        <source>Network adapter not connected</source>
        <translation>网卡未连接</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="76" />
        <source>Source VLAN not carried over</source>
        <translation>源 VLAN 不会迁移</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="77" />
        <source>VMware paravirtual drivers are replaced</source>
        <translation>VMware 半虚拟化驱动程序将被替换</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="78" />
        <source>Static IP addresses belong to the old adapter</source>
        <translation>静态 IP 地址属于旧网卡</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="79" />
        <source>Static MAC address kept</source>
        <translation>保留静态 MAC 地址</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="80" />
        <source>VM has snapshots</source>
        <translation>虚拟机有快照</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="81" />
        <source>Guest is hibernated or not cleanly shut down</source>
        <translation>客户机处于休眠状态或未正常关机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="82" />
        <source>VM is suspended</source>
        <translation>虚拟机已挂起</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="83" />
        <source>VM is running</source>
        <translation>虚拟机正在运行</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="84" />
        <source>Source is a template</source>
        <translation>源是一个模板</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="85" />
        <source>CPU/memory hot-add</source>
        <translation>CPU/内存热添加</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="86" />
        <source>VM name changed for file names</source>
        <translation>为文件名更改了虚拟机名称</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="87" />
        <source>VM name too long for Hyper-V</source>
        <translation>虚拟机名称对 Hyper-V 来说过长</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="88" />
        <source>Several VMs with the same name</source>
        <translation>多台虚拟机同名</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="89" />
        <source>VMware Tools to remove</source>
        <translation>需要卸载 VMware Tools</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="90" />
        <source>Guest information not available</source>
        <translation>客户机信息不可用</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="91" />
        <source>Invalid value in the plan</source>
        <translation>计划中的值无效</translation>
    </message>
</context>
<context>
    <name>Fixes</name>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="34" />
        <source>Microsoft Windows</source>
        <translation>Microsoft Windows</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="35" />
        <source>Microsoft UEFI Certificate Authority</source>
        <translation>Microsoft UEFI 证书颁发机构</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="36" />
        <source>Open Source Shielded VM</source>
        <translation>开源受防护的虚拟机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="54" />
        <source>Leave the disk out (the “Leave this disk out” button on the Compatibility page) and give the LUN to the new VM another way, or switch it to virtual mode on the source (storage vMotion to a VMDK) first.</source>
        <translation>不包含该磁盘（“兼容性”页面上的“不包含此磁盘”按钮），并以其他方式将 LUN 提供给新虚拟机；或先在源上将其切换为虚拟模式（通过存储 vMotion 迁移到 VMDK）。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="58" />
        <source>Write the disk as VHDX (Disks on the Template page).</source>
        <translation>将磁盘写为 VHDX（“模板”页面上的“磁盘”）。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="59" />
        <source>Copy it again with the “Copy this disk” button on the Compatibility page.</source>
        <translation>使用“兼容性”页面上的“复制此磁盘”按钮重新复制它。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="61" />
        <source>If the VM needs it, copy it again with the “Copy this disk” button on the Compatibility page.</source>
        <translation>如果虚拟机需要它，请使用“兼容性”页面上的“复制此磁盘”按钮重新复制它。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="63" />
        <source>Choose Generation %1 for this VM on the Template page (or press Reset to template).</source>
        <translation>在“模板”页面上为此虚拟机选择第 %1 代（或按“恢复为模板”）。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="65" />
        <source>Choose Generation %1 on the Template page (or press Reset to template), or convert the guest's boot loader to %2 inside the guest before migrating.</source>
        <translation>在“模板”页面上选择第 %1 代（或按“恢复为模板”），或在迁移前于来宾系统内将启动加载程序转换为 %2。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="68" />
        <source>Untick Secure Boot on the Template page.</source>
        <translation>在“模板”页面上取消勾选“安全启动”。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="69" />
        <source>Choose the Microsoft UEFI Certificate Authority Secure Boot template on the Template page, or untick Secure Boot.</source>
        <translation>在“模板”页面上选择 Microsoft UEFI 证书颁发机构安全启动模板，或取消勾选“安全启动”。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="72" />
        <source>Choose the Microsoft Windows Secure Boot template on the Template page.</source>
        <translation>在“模板”页面上选择 Microsoft Windows 安全启动模板。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="74" />
        <source>Tick Virtual TPM and Secure Boot on the Template page.</source>
        <translation>在“模板”页面上勾选“虚拟 TPM”和“安全启动”。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="75" />
        <source>Suspend BitLocker or save the recovery key before the move, or tick Virtual TPM on the Template page.</source>
        <translation>迁移前暂停 BitLocker 或保存恢复密钥，或在“模板”页面上勾选“虚拟 TPM”。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="78" />
        <source>Leave the version empty (the host's default), or check a Hyper-V host on the Target page so that its version is known.</source>
        <translation>将版本留空（使用主机默认值），或在“目标”页面上检查 Hyper-V 主机以获知其版本。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="81" />
        <source>Untick Secure Boot and Virtual TPM for this VM on the Template page, or choose Generation 2.</source>
        <translation>在“模板”页面上为此虚拟机取消勾选“安全启动”和“虚拟 TPM”，或选择第 2 代。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="83" />
        <source>Migrate it to a Windows Server %1 or later host (check the host on the Target page to see its version).</source>
        <translation>将其迁移到 Windows Server %1 或更高版本的主机（在“目标”页面上检查主机以查看其版本）。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="86" />
        <source>Use at most %1 CPUs (CPUs on the Template page).</source>
        <translation>最多使用 %1 个 CPU（“模板”页面上的“CPU”）。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="87" />
        <source>Type the VM's memory in Memory on the Template page.</source>
        <translation>在“模板”页面的“内存”中输入虚拟机的内存。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="88" />
        <source>Rename it on the Hyper-V host after the move if needed.</source>
        <translation>如有需要，迁移后在 Hyper-V 主机上重命名。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="89" />
        <source>Pick a virtual switch for the source network on the Networks page.</source>
        <translation>在“网络”页面上为源网络选择虚拟交换机。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="90" />
        <source>If the switch carries several VLANs, type VLAN %1 for %2 on the Networks page.</source>
        <translation>如果该交换机承载多个 VLAN，请在“网络”页面上为 %2 输入 VLAN %1。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="92" />
        <source>Delete the snapshot “%1” in vSphere (Snapshots &gt; Manage Snapshots), or resume the interrupted migration from the Source page, which removes it.</source>
        <translation>在 vSphere 中删除快照“%1”（快照 &gt; 管理快照），或从“来源”页面继续中断的迁移，迁移会删除该快照。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="95" />
        <source>Type at least %1 MB in Memory on the Template page.</source>
        <translation>在“模板”页面的“内存”中输入至少 %1 MB。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="96" />
        <source>To start from another disk, choose it under Choices on the Compatibility page.</source>
        <translation>要从另一个磁盘启动，请在“兼容性”页面的“选项”中选择它。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="98" />
        <source>Check the source VM's firmware setting and its boot disk; choose the generation that matches the disk under Generation on the Template page, or choose the right boot disk under Choices on the Compatibility page.</source>
        <translation>请检查源虚拟机的固件设置及其启动磁盘；在“模板”页面的“代”中选择与磁盘相符的代，或在“兼容性”页面的“选项”中选择正确的启动磁盘。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="102" />
        <source>Turn it on with the “Turn nested virtualization on” button on the Compatibility page if the guest runs VMs or containers with isolation.</source>
        <translation>如果来宾系统运行虚拟机或隔离容器，请使用“兼容性”页面上的“开启嵌套虚拟化”按钮将其开启。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="105" />
        <source>Nothing to do; turn it off with the “Turn nested virtualization off” button on the Compatibility page if the guest no longer needs it.</source>
        <translation>无需处理；如果来宾系统不再需要，请使用“兼容性”页面上的“关闭嵌套虚拟化”按钮将其关闭。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="108" />
        <source>Leave disks out until four remain, or merge their data on the source.</source>
        <translation>不包含部分磁盘直到只剩四个，或在源上合并它们的数据。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="109" />
        <source>Choose “Let Hyper-V assign new MAC addresses” under MAC addresses on the Networks page, or give a valid address on the source.</source>
        <translation>在“网络”页面的“MAC 地址”中选择“由 Hyper-V 分配新的 MAC 地址”，或在源上设置有效的地址。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="112" />
        <source>To use another configuration, choose it under Choices on the Compatibility page.</source>
        <translation>要使用其他配置，请在“兼容性”页面的“选项”中选择它。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="114" />
        <source>For the final cut-over, choose “Shut down first” for Running VMs on the Template page (the guest is shut down first and stays off once migrated), in a maintenance window.</source>
        <translation>进行最终切换时，请在维护时段内于“模板”页面的“运行中的虚拟机”中选择“先关机”（来宾系统先关机，迁移后保持关机）。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="174" />
        <source>Copy this disk</source>
        <translation>复制此磁盘</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="175" />
        <source>Leave this disk out</source>
        <translation>不包含此磁盘</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="177" />
        <source>Turn Secure Boot on</source>
        <translation>开启安全启动</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="178" />
        <source>Turn Secure Boot off</source>
        <translation>关闭安全启动</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="180" />
        <source>Turn the virtual TPM on</source>
        <translation>开启虚拟 TPM</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="181" />
        <source>Turn the virtual TPM off</source>
        <translation>关闭虚拟 TPM</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="183" />
        <source>Use the %1 Secure Boot template</source>
        <translation>使用 %1 安全启动模板</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="186" />
        <source>Use %1 CPUs</source>
        <translation>使用 %1 个 CPU</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="188" />
        <source>Write the disks as VHDX</source>
        <translation>将磁盘写为 VHDX</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="190" />
        <source>Use %1 MB of memory</source>
        <translation>使用 %1 MB 内存</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="192" />
        <source>Turn nested virtualization on</source>
        <translation>开启嵌套虚拟化</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="193" />
        <source>Turn nested virtualization off</source>
        <translation>关闭嵌套虚拟化</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="195" />
        <source>Let Hyper-V assign the MAC addresses</source>
        <translation>由 Hyper-V 分配 MAC 地址</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="199" />
        <source>Leave %1 out</source>
        <translation>不包含 %1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="201" />
        <source>Replace %1 with the Hyper-V equivalent</source>
        <translation>用 Hyper-V 中的对应设备替换 %1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="228" />
        <source>Turn Secure Boot and the virtual TPM on</source>
        <translation>开启安全启动和虚拟 TPM</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="229" />
        <source>Turn Secure Boot and the virtual TPM off</source>
        <translation>关闭安全启动和虚拟 TPM</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_fixes.py" line="231" />
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <location filename="../../wizard/ui/help.py" line="36" />
        <location filename="../../wizard/ui/help.py" line="60" />
        <source>hvmigrate help</source>
        <translation>hvmigrate 帮助</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/help.py" line="41" />
        <source>C&amp;lose</source>
        <translation>关闭(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/help.py" line="57" />
        <source>The help for this page is missing (%1). Reinstall hvmigrate.</source>
        <translation>此页面的帮助文件缺失（%1）。请重新安装 hvmigrate。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/help.py" line="60" />
        <source>%1 — hvmigrate help</source>
        <translation>%1 — hvmigrate 帮助</translation>
    </message>
</context>
<context>
    <name>InventoryModel</name>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="39" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="39" />
        <source>Power</source>
        <translation>电源</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="39" />
        <source>Guest OS</source>
        <translation>客户机操作系统</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="40" />
        <source>Cluster / host</source>
        <translation>群集 / 主机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="40" />
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="40" />
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="41" />
        <source>CPUs</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="41" />
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="41" />
        <source>Disks</source>
        <translation>磁盘</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="42" />
        <source>NICs</source>
        <translation>网卡</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="42" />
        <source>Snapshots</source>
        <translation>快照</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="42" />
        <source>VMware Tools</source>
        <translation>VMware Tools</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="44" />
        <source>On</source>
        <translation>开机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="44" />
        <source>Off</source>
        <translation>关机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="45" />
        <source>Suspended</source>
        <translation>已挂起</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="45" />
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="47" />
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="47" />
        <source>Out of date</source>
        <translation>版本过旧</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="47" />
        <source>Not running</source>
        <translation>未运行</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="48" />
        <source>Not installed</source>
        <translation>未安装</translation>
    </message>
</context>
<context>
    <name>InventoryPage</name>
    <message>
        <location filename="../../wizard/ui/pages/inventory.py" line="36" />
        <source>Which VMs do you want to move?</source>
        <translation>要迁移哪些虚拟机？</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/inventory.py" line="37" />
        <source>Tick the VMs to migrate. Search and filters only change what is shown.</source>
        <translation>勾选要迁移的虚拟机。搜索和筛选只改变显示的内容。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/inventory.py" line="44" />
        <source>Search names, guest OS, hosts, folders…</source>
        <translation>搜索名称、操作系统、主机、文件夹…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/inventory.py" line="46" />
        <source>&amp;Search:</source>
        <translation>搜索(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/inventory.py" line="49" />
        <source>Any power state</source>
        <translation>任意电源状态</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/inventory.py" line="50" />
        <source>Powered on</source>
        <translation>已开机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/inventory.py" line="51" />
        <source>Powered off</source>
        <translation>已关机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/inventory.py" line="52" />
        <source>Suspended</source>
        <translation>已挂起</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/inventory.py" line="54" />
        <source>Any guest OS</source>
        <translation>任意操作系统</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/inventory.py" line="55" />
        <source>Windows</source>
        <translation>Windows</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/inventory.py" line="56" />
        <source>Linux</source>
        <translation>Linux</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/inventory.py" line="57" />
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/inventory.py" line="84" />
        <source>Select all &amp;visible</source>
        <translation>全选可见项(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/inventory.py" line="85" />
        <source>C&amp;lear selection</source>
        <translation>清除选择(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/inventory.py" line="121" />
        <source>Any cluster or host</source>
        <translation>任意群集或主机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/inventory.py" line="122" />
        <source>Any folder</source>
        <translation>任意文件夹</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/inventory.py" line="185" />
        <source>Selected: %1 of %2 VMs · %3 CPUs · %4 memory · %5 disks</source>
        <translation>已选：%1 / %2 台虚拟机 · %3 个 CPU · 内存 %4 · 磁盘 %5</translation>
    </message>
</context>
<context>
    <name>MigrationWizard</name>
    <message>
        <location filename="../../wizard/ui/window.py" line="96" />
        <source>hvmigrate %1 — move VMs to Hyper-V</source>
        <translation>hvmigrate %1 — 将虚拟机迁移到 Hyper-V</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="102" />
        <source>S&amp;ettings…</source>
        <translation>设置(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="103" />
        <source>&amp;Next &gt;</source>
        <translation>下一步(&amp;N) &gt;</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="104" />
        <source>&lt; &amp;Back</source>
        <translation>&lt; 上一步(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="105" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="106" />
        <source>&amp;Finish</source>
        <translation>完成(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="107" />
        <source>&amp;Start migration</source>
        <translation>开始迁移(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="111" />
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="113" />
        <source>What this page is for, what each control does and what happens next (F1)</source>
        <translation>此页面的用途、每个控件的作用以及接下来会发生什么（F1）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="117" />
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="117" />
        <source>Inventory</source>
        <translation>清单</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="117" />
        <source>Compatibility</source>
        <translation>兼容性</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="117" />
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="118" />
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="118" />
        <source>Networks</source>
        <translation>网络</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="118" />
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="118" />
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="119" />
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="217" />
        <source>A synchronisation to %1 did not finish: %2 of %3 VMs were cut over.</source>
        <translation>同步到 %1 的任务没有完成：已切换 %3 台中的 %2 台虚拟机。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="218" />
        <source>Resuming goes on from the last sync (only what changed since is copied) and finishes a cut-over that was in progress; the VMs then keep synchronising until you cut them over.</source>
        <translation>继续时从上一次同步接着进行（只复制此后的变化），并完成正在进行的切换；之后虚拟机继续同步，直到您切换它们。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="225" />
        <source>Resume the interrupted migration?</source>
        <translation>继续被中断的迁移吗？</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="221" />
        <source>A migration to %1 did not finish: %2 of %3 VMs were migrated.</source>
        <translation>迁移到 %1 的任务没有完成：已迁移 %3 台中的 %2 台虚拟机。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="222" />
        <source>Resuming keeps every finished VM and disk; a disk that was being converted goes on from its last checkpoint.</source>
        <translation>继续时会保留所有已完成的虚拟机和磁盘；正在转换的磁盘从上一个检查点接着转换。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="227" />
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="227" />
        <source>&amp;Discard</source>
        <translation>放弃(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="227" />
        <source>&amp;Not now</source>
        <translation>以后再说(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="233" />
        <source>Connect to the source on the Source page with Remember the password ticked, then resume.</source>
        <translation>请在“源”页面勾选“记住密码”并连接到源，然后再继续。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="255" />
        <source>Opening the interrupted migration…</source>
        <translation>正在打开被中断的迁移…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="305" />
        <source>Discard your answers?</source>
        <translation>放弃已填写的内容？</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="306" />
        <source>&amp;Discard and close</source>
        <translation>放弃并关闭(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="307" />
        <source>&amp;Keep working</source>
        <translation>继续填写(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="309" />
        <source>Closing the wizard now discards the answers you gave on these pages. Nothing has been migrated yet.</source>
        <translation>现在关闭向导将放弃您在这些页面上填写的内容。目前尚未迁移任何虚拟机。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="331" />
        <source>VMs are being synchronised and are not cut over yet. Closing stops the syncs; the synchronised disks and the journal are kept. To go on, start hvmigrate again, choose the same VMs, Synchronise and the same target, and click Resume when Start asks: it continues from the last sync instead of copying everything again.</source>
        <translation>虚拟机正在同步，尚未切换。关闭会停止同步；已同步的磁盘和日志会保留。要继续，请再次启动 hvmigrate，选择相同的虚拟机、“同步”和相同的目标，并在开始时询问时点击“恢复”：将从上次同步继续，而不是重新复制全部内容。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="336" />
        <source>A cut-over is in progress: its source VM may stay off until you resume, which finishes the cut-over.</source>
        <translation>切换正在进行：其源虚拟机可能保持关机，直到您恢复并完成切换。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="339" />
        <source>The other VMs' migration stops too; what is not finished is cleaned up.</source>
        <translation>其他虚拟机的迁移也会停止；未完成的部分将被清理。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="343" />
        <source>Stop the migration?</source>
        <translation>停止迁移？</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="341" />
        <source>A migration is running. Closing stops it; what is not finished is cleaned up, and the next time hvmigrate starts it offers to resume the migration where it stopped.</source>
        <translation>迁移正在进行。关闭窗口会停止迁移并清理未完成的部分；下次启动 hvmigrate 时，会提示从停止处继续迁移。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="343" />
        <source>&amp;Stop and close</source>
        <translation>停止并关闭(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="344" />
        <source>&amp;Keep running</source>
        <translation>继续运行(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="366" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="368" />
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="373" />
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="374" />
        <source>A new language takes effect the next time hvmigrate starts.</source>
        <translation>新语言将在下次启动 hvmigrate 时生效。</translation>
    </message>
</context>
<context>
    <name>NetworksPage</name>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="30" />
        <source>Which networks should the VMs join?</source>
        <translation>虚拟机应连接到哪些网络？</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="31" />
        <source>Pick the Hyper-V virtual switch (and VLAN, if any) for each network the VMs use now. Leave the switch empty to leave the adapter disconnected.</source>
        <translation>为虚拟机当前使用的每个网络选择 Hyper-V 虚拟交换机（如有需要，还可指定 VLAN）。交换机留空则网卡保持断开。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="34" />
        <source>Source network</source>
        <translation>源网络</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="34" />
        <source>VMs</source>
        <translation>虚拟机数</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="34" />
        <source>Virtual switch</source>
        <translation>虚拟交换机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="35" />
        <source>VLAN (0 = none)</source>
        <translation>VLAN（0 = 无）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="42" />
        <source>Keep MAC addresses that were set by hand; Hyper-V assigns the others</source>
        <translation>保留手动设置的 MAC 地址；其余由 Hyper-V 分配</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="44" />
        <source>Keep every adapter's MAC address</source>
        <translation>保留每个网卡的 MAC 地址</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="45" />
        <source>Let Hyper-V assign new MAC addresses</source>
        <translation>由 Hyper-V 分配新的 MAC 地址</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="47" />
        <source>Licences and DHCP reservations often depend on a MAC address. Addresses VMware assigned itself are in VMware's range.</source>
        <translation>许可证和 DHCP 保留常常依赖 MAC 地址。VMware 自动分配的地址属于 VMware 的地址段。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="49" />
        <source>&amp;MAC addresses:</source>
        <translation>MAC 地址(&amp;M)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="51" />
        <source>&amp;Re-apply static IP addresses inside the guests that have them</source>
        <translation>在使用静态 IP 的客户机内重新应用静态 IP 地址(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="82" />
        <source>The lists hold the virtual switches of %1. A network you leave without a switch gets an adapter that is not connected.</source>
        <translation>列表中是 %1 的虚拟交换机。未指定交换机的网络，其网络适配器将不连接。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="87" />
        <source>A bundle is imported later, so hvmigrate cannot list that host's switches: each network starts with its own name. Each name must be a virtual switch that exists on the Hyper-V host where Create-VM.ps1 is run; if one does not, the script stops before creating the VM and names the missing switch (it creates no switches). Type the host's switch names, or leave a name empty for an adapter that is not connected.</source>
        <translation>包是以后才导入的，因此 hvmigrate 无法列出该主机的交换机：每个网络先填入它自己的名称。每个名称都必须是运行 Create-VM.ps1 的 Hyper-V 主机上已存在的虚拟交换机；如果不存在，脚本会在创建虚拟机之前停止并指出缺少的交换机（它不会创建交换机）。请输入该主机的交换机名称，或留空以使网络适配器不连接。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="92" />
        <source>A virtual switch on the Hyper-V host.</source>
        <translation>Hyper-V 主机上的虚拟交换机。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="93" />
        <source>The name of a virtual switch that exists on the Hyper-V host where the bundle is imported; Create-VM.ps1 does not create switches.</source>
        <translation>导入包的 Hyper-V 主机上已存在的虚拟交换机名称；Create-VM.ps1 不会创建交换机。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="99" />
        <source>(not connected)</source>
        <translation>（未连接）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="148" />
        <source>⚠ Every network goes to the switch “%1”: VMs and adapters that were on separate networks will share one network.</source>
        <translation>⚠ 所有网络都连接到交换机“%1”：原本位于不同网络的虚拟机和网络适配器将共享一个网络。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="154" />
        <source>⚠ Not a virtual switch of this host: %1. VMs with an adapter on it are not created.</source>
        <translation>⚠ 不是此主机的虚拟交换机：%1。有网络适配器连接到它的虚拟机将不会被创建。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="171" />
        <source>Put every network on one switch?</source>
        <translation>将所有网络放到一个交换机上？</translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/networks.py" line="172" />
        <source>All %n source network(s) go to the virtual switch “%1”.</source>
        <translation><numerusform>全部 %n 个源网络都连接到虚拟交换机“%1”。</numerusform></translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="175" />
        <source>VMs and adapters that were on separate networks (for example a database network or a cluster heartbeat) will share one network, unless VLANs keep them apart.</source>
        <translation>原本位于不同网络（例如数据库网络或群集检测信号网络）的虚拟机和网络适配器将共享一个网络，除非用 VLAN 将它们隔开。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="178" />
        <source>&amp;Use one switch</source>
        <translation>使用一个交换机(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="179" />
        <source>&amp;Change the switches</source>
        <translation>更改交换机(&amp;C)</translation>
    </message>
</context>
<context>
    <name>Page</name>
    <message>
        <location filename="../../wizard/ui/pages/base.py" line="158" />
        <source>, </source>
        <comment>separator between names in a list</comment>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/base.py" line="164" />
        <source>built-in demo</source>
        <translation>内置演示</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/base.py" line="199" />
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/base.py" line="212" />
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
</context>
<context>
    <name>ProgressModel</name>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="52" />
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="52" />
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="52" />
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="53" />
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="53" />
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="54" />
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="62" />
        <source>VM</source>
        <translation>虚拟机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="62" />
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="62" />
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="62" />
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="63" />
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="63" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="56" />
        <source>Reading</source>
        <translation>读取中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="56" />
        <source>Converting</source>
        <translation>转换中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="56" />
        <source>Writing</source>
        <translation>写入中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="57" />
        <source>Verifying</source>
        <translation>校验中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="57" />
        <source>Uploading</source>
        <translation>上传中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="57" />
        <source>Creating VM</source>
        <translation>创建虚拟机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="58" />
        <source>Configuring</source>
        <translation>配置中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="58" />
        <source>Discovering</source>
        <translation>发现中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="58" />
        <source>Preparing</source>
        <translation>准备中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="59" />
        <source>Guest fix-ups</source>
        <translation>客户机修正</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="59" />
        <source>Bundling</source>
        <translation>打包中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="59" />
        <source>Converting disk</source>
        <translation>转换磁盘</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="60" />
        <source>Checking the copy</source>
        <translation>检查副本</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="60" />
        <source>Downloading</source>
        <translation>下载中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="70" />
        <location filename="../../wizard/ui/models/progress.py" line="75" />
        <source>Working</source>
        <translation>处理中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="80" />
        <source>disk %1/%2 · %3</source>
        <translation>磁盘 %1/%2 · %3</translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="50" />
        <source>Migrating</source>
        <translation>正在迁移</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="51" />
        <source>You can keep working while this runs. Select a VM to cancel, skip or retry it.</source>
        <translation>迁移期间您可以继续工作。选择一台虚拟机可取消、跳过或重试。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="54" />
        <source>&amp;Next &gt;</source>
        <translation>下一步(&amp;N) &gt;</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="75" />
        <source>&amp;Cancel VM</source>
        <translation>取消虚拟机(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="76" />
        <source>S&amp;kip VM</source>
        <translation>跳过虚拟机(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="77" />
        <source>&amp;Retry VM</source>
        <translation>重试虚拟机(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="78" />
        <source>Cancel &amp;all</source>
        <translation>全部取消(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="79" />
        <source>Retry &amp;failed</source>
        <translation>重试失败项(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="80" />
        <source>&amp;Why did it fail?</source>
        <translation>失败原因(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="81" />
        <source>Show the error of the selected VM: what went wrong and how to fix it</source>
        <translation>显示所选虚拟机的错误：出了什么问题以及如何解决</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="82" />
        <source>Save &amp;log…</source>
        <translation>保存日志(&amp;L)…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="83" />
        <source>Save the log below to a text file (to keep it, or to send it to support)</source>
        <translation>将下面的日志保存为文本文件（留存，或发送给技术支持）</translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/progress.py" line="143" />
        <source>Migration of %n VM(s) started.</source>
        <translation><numerusform>已开始迁移 %n 台虚拟机。</numerusform></translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="145" />
        <location filename="../../wizard/ui/pages/progress.py" line="167" />
        <source>%1: left out: %2</source>
        <translation>%1：已排除：%2</translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/progress.py" line="158" />
        <source>Synchronised VMs keep running and are copied again every %n minute(s) until you cut them over; tick VMs to act on some of them only.</source>
        <translation><numerusform>同步的虚拟机保持运行，每 %n 分钟再复制一次，直到您进行切换；勾选虚拟机可只对其中部分操作。</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/progress.py" line="165" />
        <source>Synchronisation of %n VM(s) started.</source>
        <translation><numerusform>已开始同步 %n 台虚拟机。</numerusform></translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="204" />
        <source>%1: started.</source>
        <translation>%1：已开始。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="204" />
        <source>%1: finished.</source>
        <translation>%1：已完成。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="205" />
        <source>%1: failed.</source>
        <translation>%1：失败。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="205" />
        <source>%1: cancelled.</source>
        <translation>%1：已取消。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="206" />
        <source>%1: skipped.</source>
        <translation>%1：已跳过。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="206" />
        <source>%1: queued again.</source>
        <translation>%1：已重新排队。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="224" />
        <source>ERROR</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="224" />
        <source>WARNING</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="235" />
        <source>%1 of %2 VMs migrated</source>
        <translation>%2 台虚拟机中已迁移 %1 台</translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/progress.py" line="246" />
        <source>%n failed</source>
        <translation><numerusform>%n 台失败</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/progress.py" line="247" />
        <source>%n cancelled</source>
        <translation><numerusform>%n 台已取消</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/progress.py" line="248" />
        <source>%n skipped</source>
        <translation><numerusform>%n 台已跳过</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/progress.py" line="249" />
        <source>%n left out by the check</source>
        <translation><numerusform>%n 台被检查排除</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/progress.py" line="253" />
        <source>%n to go</source>
        <translation><numerusform>还剩 %n 台</numerusform></translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="256" />
        <source>time left %1</source>
        <translation>剩余时间 %1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="312" />
        <source>Synchronised VMs stop syncing and are not cut over; their synchronised disks and the journal are kept, so that a resume goes on from the last sync.</source>
        <translation>同步的虚拟机停止同步且不会切换；已同步的磁盘和日志会保留，恢复时从上次同步继续。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="352" />
        <source>Then select the VM and click Retry VM.</source>
        <translation>然后选择该虚拟机并单击“重试虚拟机”。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="354" />
        <source>Check what the message names; when it is fixed, select the VM and click Retry VM.</source>
        <translation>请检查消息中指出的对象；解决后选择该虚拟机并单击“重试虚拟机”。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="366" />
        <source>Save the log</source>
        <translation>保存日志</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="366" />
        <source>Text files (*.txt)</source>
        <translation>文本文件 (*.txt)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="379" />
        <source>hvmigrate migration log, %1</source>
        <translation>hvmigrate 迁移日志，%1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="384" />
        <source>The log could not be saved (%1).</source>
        <translation>无法保存日志（%1）。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="385" />
        <source>Choose another folder or file name, then click Save log again.</source>
        <translation>请选择其他文件夹或文件名，然后再次单击“保存日志”。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="388" />
        <source>Log saved to %1.</source>
        <translation>日志已保存到 %1。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="266" />
        <source>All work has stopped.</source>
        <translation>所有工作已停止。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="314" />
        <source>Cancel all VMs?</source>
        <translation>取消所有虚拟机？</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="309" />
        <source>VMs that are converting now stop and are cleaned up; VMs that are waiting are left out. VMs already migrated stay as they are.</source>
        <translation>正在转换的虚拟机将停止并被清理；等待中的虚拟机将不再迁移。已迁移的虚拟机保持不变。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="314" />
        <source>Cancel &amp;all VMs</source>
        <translation>取消所有虚拟机(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="315" />
        <source>&amp;Keep running</source>
        <translation>继续运行(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="319" />
        <source>Cancelling all VMs…</source>
        <translation>正在取消所有虚拟机…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="345" />
        <source>%1 was not migrated</source>
        <translation>%1 未迁移</translation>
    </message>
</context>
<context>
    <name>SourcePage</name>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="47" />
        <source>Where are the VMs now?</source>
        <translation>虚拟机现在在哪里？</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="48" />
        <source>Connect to a vCenter or ESXi server, open VM files on this computer, or try the built-in demo.</source>
        <translation>连接到 vCenter 或 ESXi 服务器，打开本机上的虚拟机文件，或试用内置演示。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="56" />
        <source>&amp;vCenter or ESXi server</source>
        <translation>vCenter 或 ESXi 服务器(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="57" />
        <source>&amp;Local files (VMX, OVF, OVA, VirtualBox)</source>
        <translation>本地文件（VMX、OVF、OVA、VirtualBox）(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="58" />
        <source>&amp;Demo with sample VMs</source>
        <translation>示例虚拟机演示(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="65" />
        <source>&amp;Recent:</source>
        <translation>最近使用(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="68" />
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="70" />
        <source>vcenter.example.com or 10.0.0.5:443</source>
        <translation>vcenter.example.com 或 10.0.0.5:443</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="72" />
        <source>administrator@vsphere.local</source>
        <translation>administrator@vsphere.local</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="75" />
        <source>Re&amp;member the password in the system keyring</source>
        <translation>在系统密钥环中记住密码(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="77" />
        <source>&amp;Address:</source>
        <translation>地址(&amp;A)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="78" />
        <source>&amp;User:</source>
        <translation>用户(&amp;U)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="79" />
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="82" />
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="84" />
        <source>A .vmx, .ovf, .ova or .vbox file, or a folder of them</source>
        <translation>一个 .vmx、.ovf、.ova 或 .vbox 文件，或包含它们的文件夹</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="85" />
        <source>Choose &amp;file…</source>
        <translation>选择文件(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="86" />
        <source>Choose f&amp;older…</source>
        <translation>选择文件夹(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="92" />
        <source>&amp;Test connection</source>
        <translation>测试连接(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="94" />
        <source>Resume the &amp;interrupted migration…</source>
        <translation>继续被中断的迁移(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="95" />
        <source>A migration stopped before it finished; continue it where it stopped</source>
        <translation>有一个迁移在完成前停止了；可从停止处继续</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="130" />
        <source>(choose a recent source)</source>
        <translation>（选择最近使用的来源）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="140" />
        <source>Demo</source>
        <translation>演示</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="167" />
        <source>Choose a VM file</source>
        <translation>选择虚拟机文件</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="168" />
        <source>VM files (*.vmx *.ovf *.ova *.vbox);;All files (*)</source>
        <translation>虚拟机文件 (*.vmx *.ovf *.ova *.vbox);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="173" />
        <source>Choose a folder of VMs</source>
        <translation>选择虚拟机所在文件夹</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="186" />
        <source>The Address field starts with “%1://”, which is not a vCenter or ESXi address; type the server's name or IP address, e.g. vcenter.example.com.</source>
        <translation>“地址”框以“%1://”开头，这不是 vCenter 或 ESXi 地址；请输入服务器的名称或 IP 地址，例如 vcenter.example.com。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="192" />
        <source>The Address field holds a password (USER:PASSWORD@HOST). Type the password in the Password field and only the server in Address.</source>
        <translation>“地址”框中包含密码（用户:密码@主机）。请在“密码”框中输入密码，“地址”框中只填写服务器。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="203" />
        <source>The Address field names no server; type the name or IP address of the vCenter or ESXi server, e.g. vcenter.example.com or 10.0.0.5:443.</source>
        <translation>“地址”框中没有服务器；请输入 vCenter 或 ESXi 服务器的名称或 IP 地址，例如 vcenter.example.com 或 10.0.0.5:443。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="206" />
        <source>The Address field ends with “:” but no port number; give one after it (vCenter and ESXi use 443) or remove the “:”.</source>
        <translation>“地址”框以“:”结尾但没有端口号；请在其后填写端口（vCenter 和 ESXi 使用 443），或删除“:”。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="209" />
        <source>The Address field: “%1” is not a port number; a port is 1 to 65535 (vCenter and ESXi use 443).</source>
        <translation>“地址”框：“%1”不是端口号；端口为 1 到 65535（vCenter 和 ESXi 使用 443）。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="263" />
        <source>Type the password in the Password field, then press Next.</source>
        <translation>请在“密码”框中输入密码，然后点击“下一步”。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="290" />
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="296" />
        <source>The built-in demo is ready.</source>
        <translation>内置演示已就绪。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="298" />
        <source>Signed in to %1; the connection works.</source>
        <translation>已登录 %1；连接正常。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="300" />
        <source>%1 can be read.</source>
        <translation>%1 可以读取。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="312" />
        <source>Connecting and reading the inventory…</source>
        <translation>正在连接并读取清单…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="318" />
        <source>Reading the inventory… %1 of %2</source>
        <translation>正在读取清单… %1 / %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/source.py" line="329" />
        <source>Found %n VM(s).</source>
        <translation><numerusform>找到 %n 台虚拟机。</numerusform></translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="341" />
        <source>Unknown certificate</source>
        <translation>未知证书</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="342" />
        <source>The server %1 presented a certificate this computer does not trust.</source>
        <translation>服务器 %1 提供的证书不受此计算机信任。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="344" />
        <source>Trust it only if this SHA-256 thumbprint matches the one your administrator gave you:

%1</source>
        <translation>只有当此 SHA-256 指纹与管理员提供的一致时才信任它：

%1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="347" />
        <source>&amp;Trust and connect</source>
        <translation>信任并连接(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="348" />
        <source>&amp;Do not connect</source>
        <translation>不连接(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="349" />
        <source>The server's certificate is not trusted yet.</source>
        <translation>尚未信任该服务器的证书。</translation>
    </message>
</context>
<context>
    <name>StepPanel</name>
    <message>
        <location filename="../../wizard/ui/steps.py" line="51" />
        <source>Steps</source>
        <translation>步骤</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/steps.py" line="67" />
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/steps.py" line="67" />
        <source>current step</source>
        <translation>当前步骤</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/steps.py" line="67" />
        <source>not yet</source>
        <translation>尚未进行</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/steps.py" line="68" />
        <source>Step %1: %2, %3</source>
        <translation>第 %1 步：%2，%3</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="48" />
        <source>Ready to migrate</source>
        <translation>准备迁移</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="52" />
        <source>&amp;Start migration</source>
        <translation>开始迁移(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="54" />
        <source>Sa&amp;ve plan…</source>
        <translation>保存计划(&amp;V)…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="56" />
        <source>Run the guest &amp;fix-ups after creating each VM (remove VMware Tools, re-apply static IPs, bring disks online)</source>
        <translation>创建每台虚拟机后执行客户机修复（卸载 VMware Tools、重新应用静态 IP、使磁盘联机）(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="58" />
        <source>On a Hyper-V host they run inside the new guest; for a bundle they are written down as steps to follow after the import.</source>
        <translation>在 Hyper-V 主机上，修复在新的客户机内执行；对于导入包，修复会写成导入后要执行的步骤。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="113" />
        <source>Preparing the plan…</source>
        <translation>正在准备计划…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="300" />
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="171" />
        <source>Estimated space needed: %1. Estimated time: %2 (at about %3/s).</source>
        <translation>预计所需空间：%1。预计时间：%2（按约 %3/秒计算）。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="393" />
        <source>The migration cannot start</source>
        <translation>无法开始迁移</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="407" />
        <source>Resume the earlier migration?</source>
        <translation>继续之前的迁移吗？</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="408" />
        <source>An earlier migration of these VMs to this target stopped before it finished.</source>
        <translation>之前将这些虚拟机迁移到此目标的任务在完成前停止了。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="409" />
        <source>Resuming keeps the VMs and disks it finished. Starting over converts everything again.</source>
        <translation>继续会保留已完成的虚拟机和磁盘。重新开始则会重新转换全部内容。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="410" />
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="410" />
        <source>Start &amp;over</source>
        <translation>重新开始(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="410" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="176" />
        <source>Not enough free space on the target: %1 free.</source>
        <translation>目标可用空间不足：仅剩 %1。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="49" />
        <source>Check what will happen to each VM. Save the plan to run it later from the command line, or press Start migration.</source>
        <translation>请检查每台虚拟机将发生什么。可保存计划以便稍后从命令行运行，或按“开始迁移”。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="95" />
        <source>Enter does not start the migration: press Start migration when you are ready.</source>
        <translation>按 Enter 不会开始迁移：准备好后请按“开始迁移”。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="124" />
        <source>The plan could not be built; go back to the Template page, where the problem is shown.</source>
        <translation>无法生成计划；请返回“模板”页面，问题显示在那里。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="134" />
        <source>Looking at the bundle folder…</source>
        <translation>正在查看包文件夹…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="151" />
        <source>less than a minute</source>
        <translation>不到一分钟</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="154" />
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分钟</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="155" />
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="163" />
        <source>From:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="164" />
        <source>To:</source>
        <translation>目标：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="165" />
        <source>Where:</source>
        <translation>位置：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="179" />
        <source>⚠ The bundle folder already holds a folder for: %1. Those VMs stop with an error instead of overwriting it; remove the folders or choose another bundle folder.</source>
        <translation>⚠ 包文件夹中已有以下虚拟机的文件夹：%1。这些虚拟机会报错停止，而不会覆盖它；请删除这些文件夹或选择其他包文件夹。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="183" />
        <source>What happens to each VM (%1)</source>
        <translation>每台虚拟机将发生什么（%1）</translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/summary.py" line="198" />
        <source>%n VM(s) are synchronised while they run: changed block tracking is turned on where it is off, and each sync takes a snapshot and removes it. When you click Cut over on the Progress page they are shut down through VMware Tools and stay off.</source>
        <translation><numerusform>%n 台虚拟机在运行期间同步：未开启更改块跟踪的会被开启，每次同步都会创建一个快照并在之后删除。在“进度”页面点击“切换”后，它们将通过 VMware Tools 关机并保持关机。</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/summary.py" line="203" />
        <source>%n running VM(s) get a snapshot for the copy; it is removed afterwards and the VMs keep running.</source>
        <translation><numerusform>%n 台运行中的虚拟机将为复制拍摄快照；快照之后会被删除，虚拟机继续运行。</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/summary.py" line="206" />
        <source>%n VM(s) are shut down before the copy and stay off.</source>
        <translation><numerusform>%n 台虚拟机将在复制前关机，并保持关机。</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/summary.py" line="208" />
        <source>%n running VM(s) are copied as they are: the copies may be inconsistent.</source>
        <translation><numerusform>%n 台运行中的虚拟机将按原样复制：副本可能不一致。</numerusform></translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="211" />
        <source>Nothing is changed on the source: the VMs are read as they are.</source>
        <translation>源上不做任何更改：按原样读取虚拟机。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="212" />
        <source>On the source:</source>
        <translation>在源上：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="221" />
        <source>one folder per VM in %1, with its disks and Create-VM.ps1 to run on the Hyper-V host</source>
        <translation>%1 中每台虚拟机一个文件夹，包含其磁盘以及要在 Hyper-V 主机上运行的 Create-VM.ps1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="223" />
        <source>the host's default folder</source>
        <translation>主机的默认文件夹</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="225" />
        <source>the host's disk share</source>
        <translation>主机的磁盘共享</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="226" />
        <source>VMs in %1; disks in %2</source>
        <translation>虚拟机位于 %1；磁盘位于 %2</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="233" />
        <source>%1 dynamic (%2 – %3)</source>
        <translation>%1 动态（%2 – %3）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="236" />
        <source>Generation %1 · %2 CPU(s) · memory %3</source>
        <translation>第 %1 代 · %2 个 CPU · 内存 %3</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="238" />
        <source>Source: %1</source>
        <translation>源：%1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="239" />
        <source>; </source>
        <comment>separator between items that hold commas</comment>
        <translation>；</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="240" />
        <source>Disks: %1</source>
        <translation>磁盘：%1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="241" />
        <source>Network: %1</source>
        <translation>网络：%1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="245" />
        <source>Firmware: %1</source>
        <translation>固件：%1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="246" />
        <source>shut the guest down</source>
        <translation>关闭来宾系统</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="246" />
        <source>save its state</source>
        <translation>保存其状态</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="247" />
        <source>turn it off</source>
        <translation>直接关闭电源</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="248" />
        <source>do nothing</source>
        <translation>不执行任何操作</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="248" />
        <source>start if it was running</source>
        <translation>如果之前在运行则启动</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="249" />
        <source>always start</source>
        <translation>始终启动</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="250" />
        <source>disabled</source>
        <translation>已禁用</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="250" />
        <source>production</source>
        <translation>生产</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="251" />
        <source>production only</source>
        <translation>仅生产</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="251" />
        <source>standard</source>
        <translation>标准</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="253" />
        <source>Checkpoints: %1 · when the host starts: %2 · when it shuts down: %3</source>
        <translation>检查点：%1 · 主机启动时：%2 · 主机关闭时：%3</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="267" />
        <source>copied from a snapshot taken for the copy (removed afterwards); the VM keeps running</source>
        <translation>从为复制而拍摄的快照复制（之后删除）；虚拟机继续运行</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="269" />
        <source>shut down before the copy; it stays off once migrated</source>
        <translation>复制前关机；迁移后保持关机</translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/summary.py" line="271" />
        <source>synchronised while it runs, every %n minute(s) and on Sync now; shut down through VMware Tools when you cut it over, and it stays off</source>
        <translation><numerusform>运行期间同步，每 %n 分钟一次以及点击“立即同步”时；切换时通过 VMware Tools 关机，之后保持关机</numerusform></translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="274" />
        <source>copied as it is while it runs: the copy may be inconsistent</source>
        <translation>在运行时按原样复制：副本可能不一致</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="275" />
        <source>copied as it is (it is not running)</source>
        <translation>按原样复制（未在运行）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="281" />
        <source>disk %1</source>
        <translation>磁盘 %1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="284" />
        <source>%1: left out</source>
        <translation>%1：不包含</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="286" />
        <source>dynamically expanding</source>
        <translation>动态扩展</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="286" />
        <source>fixed size</source>
        <translation>固定大小</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="287" />
        <source>%1 (%2) → %3, %4 %5, %6 %7:%8</source>
        <translation>%1（%2）→ %3，%4 %5，%6 %7:%8</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="302" />
        <source>switch “%1”, VLAN %2</source>
        <translation>交换机“%1”，VLAN %2</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="304" />
        <source>switch “%1”, no VLAN</source>
        <translation>交换机“%1”，无 VLAN</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="305" />
        <source>MAC %1 kept</source>
        <translation>保留 MAC %1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="306" />
        <source>new MAC from Hyper-V</source>
        <translation>由 Hyper-V 分配新 MAC</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="307" />
        <source>%1 → %2, %3</source>
        <translation>%1 → %2，%3</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="316" />
        <source>Static IP addresses %1: not re-applied (set them again in the guest)</source>
        <translation>静态 IP 地址 %1：不重新应用（请在来宾内重新设置）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="318" />
        <source>Static IP addresses %1: not re-applied, because the guest fix-ups are off</source>
        <translation>静态 IP 地址 %1：不重新应用，因为来宾修复已关闭</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="320" />
        <source>Static IP addresses %1: re-applied inside the guest by the fix-ups</source>
        <translation>静态 IP 地址 %1：由来宾修复在来宾内重新应用</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="325" />
        <source>BIOS (no Secure Boot, no TPM)</source>
        <translation>BIOS（无安全启动，无 TPM）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="326" />
        <source>Secure Boot on (%1 template)</source>
        <translation>安全启动开启（%1 模板）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="328" />
        <source>Secure Boot off</source>
        <translation>安全启动关闭</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="329" />
        <source>virtual TPM on (new and empty)</source>
        <translation>虚拟 TPM 开启（新的空 TPM）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="329" />
        <source>no virtual TPM</source>
        <translation>无虚拟 TPM</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="330" />
        <source>UEFI, %1, %2</source>
        <translation>UEFI，%1，%2</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="345" />
        <source>not ticked; blocked: %1</source>
        <translation>未勾选；受阻：%1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="347" />
        <source>not ticked</source>
        <translation>未勾选</translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/summary.py" line="351" />
        <source>and %n more, not ticked</source>
        <translation><numerusform>另有 %n 台，未勾选</numerusform></translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="352" />
        <source>Left out (%1)</source>
        <translation>未包含（%1）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="361" />
        <source>Save the plan</source>
        <translation>保存计划</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="362" />
        <source>Plan files (*.json)</source>
        <translation>计划文件 (*.json)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="367" />
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="371" />
        <source>Plan saved to %1.</source>
        <translation>计划已保存到 %1。</translation>
    </message>
</context>
<context>
    <name>SyncModel</name>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="46" />
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="46" />
        <source>initial sync</source>
        <translation>初次同步</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="47" />
        <source>synchronised</source>
        <translation>已同步</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="47" />
        <source>syncing</source>
        <translation>同步中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="48" />
        <source>cutting over</source>
        <translation>切换中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="48" />
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="49" />
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="49" />
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="50" />
        <source>Reading</source>
        <translation>读取中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="50" />
        <source>Converting</source>
        <translation>转换中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="50" />
        <source>Writing</source>
        <translation>写入中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="51" />
        <source>Verifying</source>
        <translation>校验中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="51" />
        <source>Checking the copy</source>
        <translation>检查副本</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="52" />
        <source>Downloading</source>
        <translation>下载中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="52" />
        <source>Creating VM</source>
        <translation>创建虚拟机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="53" />
        <source>Bundling</source>
        <translation>打包中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="53" />
        <source>Preparing</source>
        <translation>准备中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="54" />
        <source>VM</source>
        <translation>虚拟机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="54" />
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="54" />
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="54" />
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="54" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="58" />
        <location filename="../../wizard/ui/models/sync.py" line="173" />
        <source>Working</source>
        <translation>处理中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="69" />
        <source>done · downtime %1 s (until the Hyper-V VM started)</source>
        <translation>已完成 · 停机 %1 秒（至 Hyper-V 虚拟机启动）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="70" />
        <source>done · downtime %1 s (until the import bundle was complete; import and start it on the host)</source>
        <translation>已完成 · 停机 %1 秒（至导入包完成；请在主机上导入并启动）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="72" />
        <source>done · downtime %1 s (until the VM was created)</source>
        <translation>已完成 · 停机 %1 秒（至虚拟机创建完成）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="73" />
        <source>done · downtime %1 s</source>
        <translation>已完成 · 停机 %1 秒</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="77" />
        <source>last sync %1</source>
        <translation>上次同步 %1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="78" />
        <source>%1 changed</source>
        <translation>变化 %1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="81" />
        <source>next in %1 min</source>
        <translation>%1 分钟后再次同步</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="82" />
        <source>next in %1 s</source>
        <translation>%1 秒后再次同步</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="84" />
        <source>cut-over requested</source>
        <translation>已请求切换</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/sync.py" line="86" />
        <source>the cut-over failed (see the log)</source>
        <translation>切换失败（见日志）</translation>
    </message>
</context>
<context>
    <name>SyncPanel</name>
    <message>
        <location filename="../../wizard/ui/pages/sync_panel.py" line="48" />
        <source>Synchronised while they run (changed block tracking):</source>
        <translation>运行期间同步（更改块跟踪）：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/sync_panel.py" line="55" />
        <source>S&amp;ync now</source>
        <translation>立即同步(&amp;Y)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/sync_panel.py" line="56" />
        <source>Copy what changed on the ticked VMs (none ticked: every VM) now, instead of at the next interval. The VMs keep running.</source>
        <translation>立即复制已勾选虚拟机（未勾选则为所有虚拟机）的变化，而不是等到下一个间隔。虚拟机继续运行。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/sync_panel.py" line="58" />
        <source>C&amp;ut over…</source>
        <translation>切换(&amp;U)…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/sync_panel.py" line="59" />
        <source>Shut the ticked VMs (none ticked: every VM) down through VMware Tools, copy their last changes and finish them. Asks first.</source>
        <translation>通过 VMware Tools 关闭已勾选的虚拟机（未勾选则为所有虚拟机），复制最后的变化并完成迁移。执行前会先询问。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/sync_panel.py" line="146" />
        <source>Cut over %n VM(s)?</source>
        <translation><numerusform>切换 %n 台虚拟机？</numerusform></translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/sync_panel.py" line="147" />
        <source>%1 will be shut down through VMware Tools (never powered off hard) and stay off. Their last changes are copied and checked, then each VM's bundle folder is completed; the downtime shown is measured from the shutdown to the completed bundle. hvmigrate cannot start these VMs: each serves again only once you have imported it with Create-VM.ps1 on the Hyper-V host and started it.</source>
        <translation>%1 将通过 VMware Tools 关机（绝不强制断电）并保持关机。复制并校验最后的变化后，完成每台虚拟机的导入包文件夹；显示的停机时间从关机算到导入包完成。hvmigrate 无法启动这些虚拟机：只有在 Hyper-V 主机上用 Create-VM.ps1 导入并启动后，它们才会重新提供服务。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/sync_panel.py" line="152" />
        <source>%1 will be shut down through VMware Tools (never powered off hard) and stay off. Their last changes are copied and checked, then each VM is created and started on the Hyper-V host; the downtime shown is measured from the shutdown until the VM's start returned. A VM that does not start is reported, and its source stays off.</source>
        <translation>%1 将通过 VMware Tools 关机（绝不强制断电）并保持关机。复制并校验最后的变化后，在 Hyper-V 主机上创建并启动每台虚拟机；显示的停机时间从关机算到虚拟机启动完成。无法启动的虚拟机会被报告，其源虚拟机保持关机。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/sync_panel.py" line="167" />
        <source>Cut over</source>
        <translation>切换</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/sync_panel.py" line="167" />
        <source>C&amp;ut over</source>
        <translation>切换(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/sync_panel.py" line="167" />
        <source>&amp;Not yet</source>
        <translation>暂不(&amp;N)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/sync_panel.py" line="178" />
        <source>For the %n ticked VM(s).</source>
        <translation><numerusform>作用于已勾选的 %n 台虚拟机。</numerusform></translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/sync_panel.py" line="179" />
        <source>No VM ticked: for every VM.</source>
        <translation>未勾选虚拟机：作用于所有虚拟机。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/sync_panel.py" line="182" />
        <source>%1 of %2 cut over</source>
        <translation>%2 台中已切换 %1 台</translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/sync_panel.py" line="183" />
        <source>%n failed</source>
        <translation><numerusform>%n 台失败</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/sync_panel.py" line="184" />
        <source>%n cancelled</source>
        <translation><numerusform>%n 台已取消</numerusform></translation>
    </message>
</context>
<context>
    <name>TargetPage</name>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="36" />
        <source>Where should the VMs go?</source>
        <translation>虚拟机要迁移到哪里？</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="37" />
        <source>Write an import bundle to a folder (import it on the Hyper-V host later), or connect to a Hyper-V host directly.</source>
        <translation>将导入包写入文件夹（稍后在 Hyper-V 主机上导入），或直接连接到 Hyper-V 主机。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="41" />
        <source>Offline import bundle in a &amp;folder</source>
        <translation>文件夹中的离线导入包(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="42" />
        <source>Hyper-&amp;V host (WinRM)</source>
        <translation>Hyper-V 主机（WinRM）(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="47" />
        <source>Bundle</source>
        <translation>导入包</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="49" />
        <source>An empty folder with room for the disks</source>
        <translation>一个有足够磁盘空间的空文件夹</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="50" />
        <source>Choose f&amp;older…</source>
        <translation>选择文件夹(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="55" />
        <source>Hyper-V host</source>
        <translation>Hyper-V 主机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="57" />
        <source>hyperv01.example.com</source>
        <translation>hyperv01.example.com</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="59" />
        <source>DOMAIN\admin</source>
        <translation>DOMAIN\admin</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="65" />
        <source>Re&amp;member the password in the system keyring</source>
        <translation>在系统密钥环中记住密码(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="66" />
        <source>Use &amp;HTTPS</source>
        <translation>使用 HTTPS(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="70" />
        <source>NTLM</source>
        <translation>NTLM</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="70" />
        <source>Kerberos</source>
        <translation>Kerberos</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="70" />
        <source>CredSSP</source>
        <translation>CredSSP</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="73" />
        <source>\\hyperv01\VMs (empty: the share that holds the host's disk folder)</source>
        <translation>\\hyperv01\VMs（留空：使用包含主机磁盘文件夹的共享）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="75" />
        <source>Only for a self-signed certificate: its SHA-256 thumbprint</source>
        <translation>仅用于自签名证书：其 SHA-256 指纹</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="77" />
        <source>Empty: the host's default folder for VMs (shown after Check target)</source>
        <translation>留空：主机的默认虚拟机文件夹（检查目标后显示）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="78" />
        <source>A folder on the Hyper-V host, e.g. D:\Hyper-V. Each VM's configuration goes there; its disks go to the disk share.</source>
        <translation>Hyper-V 主机上的文件夹，例如 D:\Hyper-V。每台虚拟机的配置放在这里；其磁盘放在磁盘共享中。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="81" />
        <source>Hos&amp;t:</source>
        <translation>主机(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="82" />
        <source>&amp;User:</source>
        <translation>用户(&amp;U)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="83" />
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="88" />
        <source>Po&amp;rt:</source>
        <translation>端口(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="92" />
        <source>Sign-in metho&amp;d:</source>
        <translation>登录方式(&amp;D)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="93" />
        <source>VM fo&amp;lder on the host:</source>
        <translation>主机上的虚拟机文件夹(&amp;L)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="94" />
        <source>Disk sh&amp;are:</source>
        <translation>磁盘共享(&amp;A)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="95" />
        <source>Certificate thumbpr&amp;int:</source>
        <translation>证书指纹(&amp;I)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="97" />
        <source>&amp;Check target</source>
        <translation>检查目标(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="100" />
        <source>hvmigrate estimates each disk by the data its source holds. Tick this only if you know there is room: a VM whose disks do not fit fails when the target runs full.</source>
        <translation>hvmigrate 按源磁盘实际存放的数据估算每个磁盘。只有在确知空间足够时才勾选：磁盘放不下的虚拟机会在目标写满时失败。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="140" />
        <source>Choose the bundle folder</source>
        <translation>选择导入包文件夹</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="172" />
        <source>Type the password in the Password field of the Target page.</source>
        <translation>请在“目标”页面的“密码”框中输入密码。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="195" />
        <source>Checking the target…</source>
        <translation>正在检查目标…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="201" />
        <source>If you trust this host, copy its thumbprint %1 into the Certificate thumbprint field and check the target again.</source>
        <translation>如果您信任此主机，请将其指纹 %1 复制到“证书指纹”字段中，然后重新检查目标。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="208" />
        <location filename="../../wizard/ui/pages/target.py" line="228" />
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="211" />
        <source>Folder %1 is usable: it does not exist yet and will be created when the migration starts.</source>
        <translation>文件夹 %1 可用：它尚不存在，将在迁移开始时创建。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/target.py" line="214" />
        <source>Folder %1 is usable. It already holds %n item(s); each VM's bundle is added beside them in a folder named after the VM (an existing folder of that name is not overwritten: that VM's migration stops).</source>
        <translation><numerusform>文件夹 %1 可用。其中已有 %n 个项目；每台虚拟机的包会添加在它们旁边，放在以虚拟机命名的文件夹中（不会覆盖同名的现有文件夹：该虚拟机的迁移会停止）。</numerusform></translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="218" />
        <source>Folder %1 is usable and empty.</source>
        <translation>文件夹 %1 可用且为空。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="220" />
        <source>Free space: %1.</source>
        <translation>可用空间：%1。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="226" />
        <source>VMs go to: %1.</source>
        <translation>虚拟机位置：%1。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="227" />
        <source>VMs go to: %1 (the host's default folder for VMs).</source>
        <translation>虚拟机位置：%1（主机的默认虚拟机文件夹）。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="230" />
        <source>Disks go to: %1\hvmigrate\&lt;VM name&gt; on the host (share %2).</source>
        <translation>磁盘位置：主机上的 %1\hvmigrate\&lt;虚拟机名称&gt;（共享 %2）。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="233" />
        <source>Disks: the host shares no folder for them; give a share in Disk share.</source>
        <translation>磁盘：主机没有为其共享文件夹；请在“磁盘共享”中指定共享。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="239" />
        <source>VM folder on the host: give a full folder path on the host, such as D:\Hyper-V, or leave it empty for the host's default.</source>
        <translation>主机上的虚拟机文件夹：请填写主机上的完整文件夹路径，例如 D:\Hyper-V，或留空以使用主机的默认文件夹。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="221" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="98" />
        <source>Skip the free-space check</source>
        <translation>跳过可用空间检查</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="222" />
        <source>Hyper-V %1 (%2). Virtual switches: %3. Free space: %4.</source>
        <translation>Hyper-V %1（%2）。虚拟交换机：%3。可用空间：%4。</translation>
    </message>
</context>
<context>
    <name>TemplatePage</name>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="120" />
        <source>How should the new VMs look?</source>
        <translation>新虚拟机应如何配置？</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="133" />
        <source>Generation 2 (UEFI)</source>
        <translation>第 2 代（UEFI）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="134" />
        <source>Generation 1 (BIOS)</source>
        <translation>第 1 代（BIOS）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="144" />
        <source>D&amp;ynamic memory</source>
        <translation>动态内存(&amp;Y)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="147" />
        <source>&amp;Secure Boot</source>
        <translation>安全启动(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="168" />
        <source>VHDX, dynamically expanding</source>
        <translation>VHDX，动态扩展</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="169" />
        <source>VHDX, fixed size</source>
        <translation>VHDX，固定大小</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="173" />
        <source>Disabled</source>
        <translation>已禁用</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="173" />
        <source>Production</source>
        <translation>生产</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="174" />
        <source>Production only</source>
        <translation>仅生产</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="174" />
        <source>Standard</source>
        <translation>标准</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="180" />
        <source>Do nothing</source>
        <translation>不执行任何操作</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="180" />
        <source>Start if it was running</source>
        <translation>如果之前在运行则启动</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="181" />
        <source>Always start</source>
        <translation>始终启动</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="150" />
        <source>Virtual T&amp;PM</source>
        <translation>虚拟 TPM(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="203" />
        <source>Copy from a snapshot (removed afterwards)</source>
        <translation>从快照复制（完成后删除快照）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="204" />
        <source>Shut down first (they stay off once migrated)</source>
        <translation>先关机（迁移后保持关机）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="205" />
        <source>Copy as they are (the copy may be inconsistent)</source>
        <translation>按原样复制（副本可能不一致）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="224" />
        <source>Sa&amp;ve as template…</source>
        <translation>另存为模板(&amp;V)…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="233" />
        <source>&amp;Template:</source>
        <translation>模板(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="238" />
        <source>&amp;Apply changes to:</source>
        <translation>更改应用于(&amp;A)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="243" />
        <source>&amp;Running VMs:</source>
        <translation>运行中的虚拟机(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="252" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="254" />
        <source>&amp;Generation:</source>
        <translation>代(&amp;G)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="258" />
        <source>&amp;CPUs:</source>
        <translation>CPU(&amp;C)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="262" />
        <source>&amp;Memory:</source>
        <translation>内存(&amp;M)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="266" />
        <source>Security:</source>
        <translation>安全：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="264" />
        <source>&amp;Disks:</source>
        <translation>磁盘(&amp;D)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="121" />
        <source>A template sets sensible values for each VM. Change any value for all ticked VMs or for one VM; the plan is checked against each VM as you go.</source>
        <translation>模板为每台虚拟机设置合理的值。可为所有勾选的虚拟机或单台虚拟机更改任意值；计划会随时针对每台虚拟机进行检查。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="126" />
        <source>mixed</source>
        <translation>混合</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="129" />
        <source>All ticked VMs: a change applies to every ticked VM. Where the VMs differ, a field shows “mixed” and each VM keeps its own value until you change that field.</source>
        <translation>所有勾选的虚拟机：更改应用于每台勾选的虚拟机。虚拟机之间不同的字段显示“混合”，在您更改该字段之前，每台虚拟机保留自己的值。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="135" />
        <source>Generation 2 starts with UEFI (Secure Boot, TPM, boot from SCSI); Generation 1 with BIOS, for guests installed that way. It must match how the guest was installed, or it will not start.</source>
        <translation>第 2 代使用 UEFI 启动（安全启动、TPM、从 SCSI 启动）；第 1 代使用 BIOS，适用于以这种方式安装的来宾系统。它必须与来宾系统的安装方式一致，否则无法启动。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="139" />
        <source>Virtual processors the VM gets.</source>
        <translation>虚拟机获得的虚拟处理器数。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="143" />
        <source>Startup memory: what the VM has when it starts.</source>
        <translation>启动内存：虚拟机启动时拥有的内存。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="145" />
        <source>Hyper-V gives a running VM more memory when it needs it and takes back what it does not use. Off: the VM always has its startup memory.</source>
        <translation>Hyper-V 在运行中的虚拟机需要时分配更多内存，并收回未使用的内存。关闭：虚拟机始终使用其启动内存。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="148" />
        <source>Only signed boot loaders may start the VM (Generation 2 only); it keeps boot-level malware out.</source>
        <translation>只有经过签名的启动加载程序才能启动虚拟机（仅第 2 代）；可阻止启动级恶意软件。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="151" />
        <source>A virtual security chip (Generation 2 only) for BitLocker and Windows 11. It starts empty: keys in the source's TPM are not copied.</source>
        <translation>虚拟安全芯片（仅第 2 代），用于 BitLocker 和 Windows 11。它初始为空：源 TPM 中的密钥不会被复制。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="154" />
        <source>Microsoft Windows</source>
        <translation>Microsoft Windows</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="155" />
        <source>Microsoft UEFI Certificate Authority (Linux)</source>
        <translation>Microsoft UEFI 证书颁发机构（Linux）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="156" />
        <source>Open Source Shielded VM</source>
        <translation>开源受防护的虚拟机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="158" />
        <source>Whose signatures Secure Boot trusts: Microsoft Windows for Windows guests, the Microsoft UEFI Certificate Authority for Linux.</source>
        <translation>安全启动信任谁的签名：Windows 来宾使用 Microsoft Windows，Linux 使用 Microsoft UEFI 证书颁发机构。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="161" />
        <source>Prepare &amp;Linux guests for Hyper-V</source>
        <translation>为 Hyper-V 准备 Linux 客户机(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="163" />
        <source>After converting a Linux VM's disks, hvmigrate changes the guest offline so that it starts on Hyper-V: the Hyper-V drivers go into its initramfs, its network settings are bound to the new adapter, VMware Tools from VMware's installer are removed. Each original file is kept and the report lists every change. Needs a Linux workstation with libguestfs; Windows guests are not affected.</source>
        <translation>转换 Linux 虚拟机的磁盘后，hvmigrate 会离线修改客户机，使其能在 Hyper-V 上启动：将 Hyper-V 驱动加入其 initramfs，将其网络设置绑定到新适配器，并删除通过 VMware 安装程序安装的 VMware Tools。每个原始文件都会保留，报告会列出每项更改。需要装有 libguestfs 的 Linux 工作站；Windows 客户机不受影响。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="170" />
        <source>Dynamically expanding disks grow as data is written; fixed-size disks take all their space at once and are a little faster.</source>
        <translation>动态扩展磁盘随数据写入而增长；固定大小磁盘一次占用全部空间，速度稍快。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="176" />
        <source>Production checkpoints ask the guest to save its data first (like a backup); Standard ones also keep the memory; Production only never falls back to Standard; Disabled allows none.</source>
        <translation>生产检查点先让来宾系统保存数据（类似备份）；标准检查点还会保留内存；仅生产从不退回标准检查点；已禁用则不允许检查点。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="183" />
        <source>What the VM does when the Hyper-V host starts up.</source>
        <translation>Hyper-V 主机启动时虚拟机的操作。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="185" />
        <source>Shut the guest down</source>
        <translation>关闭来宾系统</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="185" />
        <source>Save its state</source>
        <translation>保存其状态</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="186" />
        <source>Turn it off</source>
        <translation>直接关闭电源</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="188" />
        <source>What happens to the VM when the host shuts down: shut the guest down cleanly, save its memory to disk, or cut its power.</source>
        <translation>主机关闭时虚拟机的处理方式：正常关闭来宾系统、将其内存保存到磁盘，或直接断电。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="206" />
        <source>Synchronise, then cut over with minimal downtime</source>
        <translation>先同步，再以最短停机时间切换</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="208" />
        <source>Changed block tracking is turned on where it is off (it takes effect at the next snapshot). A first copy is made while the VM runs, then only what changed is copied at every sync interval and on Sync now. When you click Cut over on the Progress page, the guest is shut down through VMware Tools, the last changes are copied and checked and the VM is created on the Hyper-V host (or its import bundle is completed); the source stays off. The downtime is the last changes, not the whole copy.</source>
        <translation>未开启更改块跟踪（CBT）的虚拟机会被开启该功能（在下一次快照时生效）。虚拟机运行期间先做一次完整复制，之后每个同步间隔以及点击“立即同步”时只复制变化的部分。在“进度”页面点击“切换”后，将通过 VMware Tools 关闭来宾系统，复制并校验最后的变化，并在 Hyper-V 主机上创建该虚拟机（或完成其导入包）；源虚拟机保持关机。停机时间只是复制最后变化的时间，而不是整个复制过程。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="216" />
        <source>every </source>
        <translation>每 </translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="217" />
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="218" />
        <source>Minutes between two syncs of a synchronised VM until it is cut over (Sync now on the Progress page syncs at once).</source>
        <translation>已同步的虚拟机在切换前两次同步之间相隔的分钟数（在“进度”页面点击“立即同步”可马上同步）。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="221" />
        <source>How VMs that are running on vSphere are copied. A snapshot lets them keep serving; the copy has their state at the moment of the snapshot. Shutting down gives the final, complete state. Synchronising keeps a copy current while they run and shuts them down only for the cut-over.</source>
        <translation>vSphere 上正在运行的虚拟机如何复制。使用快照时虚拟机可继续提供服务，副本为拍摄快照时的状态；先关机则得到最终的完整状态；同步则在虚拟机运行期间保持副本为最新，只在切换时关机。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="226" />
        <source>Reset t&amp;o template</source>
        <translation>恢复为模板(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="227" />
        <source>Forget the changes made here for the VMs in “Apply changes to”: the template's values apply again.</source>
        <translation>放弃此处对“更改应用于”中虚拟机所做的更改：重新使用模板的值。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="246" />
        <source>Sync &amp;interval:</source>
        <translation>同步间隔(&amp;I)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="265" />
        <source>Guests:</source>
        <translation>客户机：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="268" />
        <source>Sec&amp;ure Boot template:</source>
        <translation>安全启动模板(&amp;U)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="270" />
        <source>Chec&amp;kpoints:</source>
        <translation>检查点(&amp;K)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="271" />
        <source>W&amp;hen the host starts:</source>
        <translation>主机启动时(&amp;H)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="272" />
        <source>&amp;When the host shuts down:</source>
        <translation>主机关闭时(&amp;W)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="327" />
        <source>Automatic (by firmware and guest OS)</source>
        <translation>自动（按固件和操作系统）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="328" />
        <source>Windows Server — Gen 2, Secure Boot</source>
        <translation>Windows Server — 第 2 代，安全启动</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="329" />
        <source>Windows 11 — Gen 2, Secure Boot, TPM</source>
        <translation>Windows 11 — 第 2 代，安全启动，TPM</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="330" />
        <source>Linux — Gen 2, UEFI CA</source>
        <translation>Linux — 第 2 代，UEFI CA</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="330" />
        <source>Legacy BIOS — Gen 1</source>
        <translation>传统 BIOS — 第 1 代</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="345" />
        <source>All ticked VMs</source>
        <translation>所有勾选的虚拟机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="347" />
        <source>Only %1</source>
        <translation>仅 %1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="379" />
        <source>Save as template</source>
        <translation>另存为模板</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="379" />
        <source>Template name:</source>
        <translation>模板名称：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="391" />
        <source>Template %1 saved.</source>
        <translation>模板 %1 已保存。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="395" />
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="482" />
        <source>Checking the settings…</source>
        <translation>正在检查设置…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/template.py" line="499" />
        <source>✘ %n VM(s) cannot be migrated with these settings:</source>
        <translation><numerusform>✘ 按这些设置，有 %n 台虚拟机无法迁移：</numerusform></translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="574" />
        <source>(mixed)</source>
        <translation>（混合）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="584" />
        <source>(all ticked VMs)</source>
        <translation>（所有勾选的虚拟机）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="587" />
        <source>(%1)</source>
        <translation>（%1）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="589" />
        <source>Your changes: %1.</source>
        <translation>您的更改：%1。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="593" />
        <source>Generation</source>
        <translation>代</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="593" />
        <source>CPUs</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="593" />
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="594" />
        <source>Dynamic memory</source>
        <translation>动态内存</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="594" />
        <source>Secure Boot</source>
        <translation>安全启动</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="595" />
        <source>Secure Boot template</source>
        <translation>安全启动模板</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="595" />
        <source>Virtual TPM</source>
        <translation>虚拟 TPM</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="596" />
        <source>Disks</source>
        <translation>磁盘</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="596" />
        <source>Checkpoints</source>
        <translation>检查点</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="597" />
        <source>When the host starts</source>
        <translation>主机启动时</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="598" />
        <source>When the host shuts down</source>
        <translation>主机关闭时</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="599" />
        <source>Prepare Linux guests</source>
        <translation>准备 Linux 客户机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="603" />
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="603" />
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="605" />
        <source>%1 MiB</source>
        <translation>%1 MiB</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="608" />
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="503" />
        <source>✘ No VM can be migrated with these settings.</source>
        <translation>✘ 按这些设置，没有可以迁移的虚拟机。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/template.py" line="508" />
        <source>✔ The settings are valid for all %n VM(s).</source>
        <translation><numerusform>✔ 这些设置对全部 %n 台虚拟机有效。</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/template.py" line="509" />
        <source>✔ The settings are valid for all %n VM(s); your changes bring these warnings:</source>
        <translation><numerusform>✔ 这些设置对全部 %n 台虚拟机有效；您的更改带来以下警告：</numerusform></translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="525" />
        <source>%1 %2 — %3.</source>
        <translation>%1 %2 — %3。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="534" />
        <source>✘ %1</source>
        <translation>✘ %1</translation>
    </message>
</context>
<context>
    <name>WizardState</name>
    <message>
        <location filename="../../wizard/ui/state.py" line="29" />
        <source>Type the password in the Password field of the Target page.</source>
        <translation>请在“目标”页面的“密码”框中输入密码。</translation>
    </message>
</context>
</TS>