<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>CompatibilityPage</name>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="36" />
        <source>Can these VMs run on Hyper-V?</source>
        <translation>这些虚拟机能在 Hyper-V 上运行吗？</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="37" />
        <source>Red: blocked until fixed or unticked. Amber: works, but read the warning. Green: nothing to do.</source>
        <translation>红色：修复或取消勾选前无法迁移。黄色：可以迁移，但请阅读警告。绿色：无需处理。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="41" />
        <source>VM</source>
        <translation>虚拟机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="41" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="44" />
        <source>Severity</source>
        <translation>严重性</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="44" />
        <source>Finding</source>
        <translation>检查结果</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="48" />
        <source>Choices</source>
        <translation>选项</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="54" />
        <source>Export &amp;HTML…</source>
        <translation>导出 HTML(&amp;H)…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="55" />
        <source>Export &amp;CSV…</source>
        <translation>导出 CSV(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="84" />
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="84" />
        <source>Blocked</source>
        <translation>受阻</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="84" />
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="85" />
        <source>Note</source>
        <translation>提示</translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/compatibility.py" line="112" />
        <source>Checking %n VM(s)…</source>
        <translation><numerusform>正在检查 %n 台虚拟机…</numerusform></translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="153" />
        <source>%1 VM(s) ticked: %2 blocked, %3 with warnings.</source>
        <translation>已勾选 %1 台虚拟机：%2 台受阻，%3 台有警告。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="156" />
        <source>Fix or untick the blocked VMs to continue.</source>
        <translation>请修复或取消勾选受阻的虚拟机后继续。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="179" />
        <source>No problems found: this VM can be migrated as it is.</source>
        <translation>未发现问题：此虚拟机可以直接迁移。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="190" />
        <source>Done automatically:</source>
        <translation>已自动处理：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="190" />
        <source>What to do:</source>
        <translation>处理方法：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="193" />
        <source>Source:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="201" />
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="201" />
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="227" />
        <source>HTML report (*.html)</source>
        <translation>HTML 报告 (*.html)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="227" />
        <source>CSV file (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="228" />
        <source>Export the compatibility report</source>
        <translation>导出兼容性报告</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="236" />
        <source>Saved %1.</source>
        <translation>已保存 %1。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/compatibility.py" line="237" />
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="21" />
        <source>Finished</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="28" />
        <source>&amp;Open output folder</source>
        <translation>打开输出文件夹(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="29" />
        <source>Open the &amp;report</source>
        <translation>打开报告(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="54" />
        <source>%1 of %2 VMs were migrated.</source>
        <translation>%2 台虚拟机中已迁移 %1 台。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="56" />
        <source>Migrated: %1.</source>
        <translation>已迁移：%1。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="56" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="58" />
        <source>Not migrated: %1.</source>
        <translation>未迁移：%1。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="69" />
        <source>What to check on each new VM</source>
        <translation>每台新虚拟机需要检查的事项</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="73" />
        <source>Start it and sign in; the first start takes longer while drivers settle.</source>
        <translation>启动并登录；首次启动时驱动程序需要适配，耗时较长。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="74" />
        <source>Check that every disk is online and has its drive letter or mount point.</source>
        <translation>检查每块磁盘均已联机，并具有原来的盘符或挂载点。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="76" />
        <source>Check the network: IP address, gateway and DNS; ping a server.</source>
        <translation>检查网络：IP 地址、网关和 DNS；ping 一台服务器。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="78" />
        <source>Windows may ask to be activated again after the hardware change.</source>
        <translation>硬件变化后，Windows 可能要求重新激活。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="79" />
        <source>Remove VMware Tools if it is still listed in Apps.</source>
        <translation>如果“应用”中仍列出 VMware Tools，请将其卸载。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="81" />
        <source>Check that the Hyper-V drivers (hv_vmbus, hv_storvsc, hv_netvsc) are loaded.</source>
        <translation>检查 Hyper-V 驱动程序（hv_vmbus、hv_storvsc、hv_netvsc）已加载。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="82" />
        <source>Keep the source VM switched off until you are satisfied, then retire it.</source>
        <translation>在确认无误之前保持源虚拟机关机，之后再将其停用。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="85" />
        <source>The import bundle is in %1. Copy it to the Hyper-V host and run the import script in it.</source>
        <translation>导入包位于 %1。请将其复制到 Hyper-V 主机，并运行其中的导入脚本。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="110" />
        <source>Report saved to %1.</source>
        <translation>报告已保存到 %1。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="113" />
        <source>Writing the report…</source>
        <translation>正在写入报告…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/done.py" line="117" />
        <source>The report could not be written: %1</source>
        <translation>无法写入报告：%1</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <location filename="../../wizard/ui/errors.py" line="48" />
        <source>Something unexpected went wrong.</source>
        <translation>发生了意外错误。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/errors.py" line="49" />
        <source>Try again. If it happens again, copy the details and send them to your support contact.</source>
        <translation>请重试。如果再次发生，请复制详细信息并发送给您的技术支持人员。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/errors.py" line="60" />
        <source>hvmigrate — problem</source>
        <translation>hvmigrate — 出现问题</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/errors.py" line="90" />
        <location filename="../../wizard/ui/errors.py" line="117" />
        <source>Show &amp;details</source>
        <translation>显示详细信息(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/errors.py" line="94" />
        <source>&amp;Copy details</source>
        <translation>复制详细信息(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/errors.py" line="99" />
        <source>C&amp;lose</source>
        <translation>关闭(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/errors.py" line="117" />
        <source>Hide &amp;details</source>
        <translation>隐藏详细信息(&amp;D)</translation>
    </message>
</context>
<context>
    <name>Findings</name>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="14" />
        <source>Generation follows the source firmware</source>
        <translation>代数与源固件一致</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="15" />
        <source>Generation does not match the source firmware</source>
        <translation>代数与源固件不一致</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="16" />
        <source>32-bit guest cannot run on Generation 2</source>
        <translation>32 位客户机无法在第 2 代上运行</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="17" />
        <source>Guest not listed for Generation 2</source>
        <translation>客户机未列入第 2 代支持列表</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="18" />
        <source>Generation 1 has no Secure Boot or TPM</source>
        <translation>第 1 代没有安全启动和 TPM</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="19" />
        <source>Guest OS not supported on Hyper-V</source>
        <translation>Hyper-V 不支持此客户机操作系统</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="20" />
        <source>Guest OS is out of vendor support</source>
        <translation>客户机操作系统已超出厂商支持期</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="21" />
        <source>Guest OS not recognised</source>
        <translation>无法识别客户机操作系统</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="22" />
        <source>Guest needs a newer Hyper-V host</source>
        <translation>客户机需要更新版本的 Hyper-V 主机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="23" />
        <source>More virtual processors than the guest supports</source>
        <translation>虚拟处理器数超过客户机支持的数量</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="24" />
        <source>Linux needs Hyper-V drivers in its boot image</source>
        <translation>Linux 启动映像中需要 Hyper-V 驱动程序</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="25" />
        <source>Secure Boot turned off for this guest</source>
        <translation>已为此客户机关闭安全启动</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="26" />
        <source>Linux Secure Boot needs the UEFI CA template</source>
        <translation>Linux 安全启动需要 UEFI CA 模板</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="27" />
        <source>Windows Secure Boot needs the Windows template</source>
        <translation>Windows 安全启动需要 Windows 模板</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="28" />
        <source>Windows 11 needs Secure Boot and a virtual TPM</source>
        <translation>Windows 11 需要安全启动和虚拟 TPM</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="29" />
        <source>The source's virtual TPM cannot be copied</source>
        <translation>无法复制源虚拟机的虚拟 TPM</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="30" />
        <source>Encrypted VM or disk</source>
        <translation>加密的虚拟机或磁盘</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="31" />
        <source>Configuration version not supported by the host</source>
        <translation>主机不支持此配置版本</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="32" />
        <source>Configuration version too old for the chosen features</source>
        <translation>配置版本过旧，无法使用所选功能</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="33" />
        <source>More virtual processors than the host allows</source>
        <translation>虚拟处理器数超过主机允许的数量</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="34" />
        <source>Memory size unknown</source>
        <translation>内存大小未知</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="35" />
        <source>More memory than the host allows</source>
        <translation>内存超过主机允许的大小</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="36" />
        <source>Memory rounded to 2 MiB</source>
        <translation>内存已按 2 MiB 取整</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="37" />
        <source>Dynamic memory bounds adjusted</source>
        <translation>已调整动态内存范围</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="38" />
        <source>More network adapters than the host allows</source>
        <translation>网卡数超过主机允许的数量</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="39" />
        <source>VM has no disks</source>
        <translation>虚拟机没有磁盘</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="40" />
        <source>Physical-mode raw device mapping</source>
        <translation>物理模式裸设备映射</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="41" />
        <source>Virtual-mode raw device mapping</source>
        <translation>虚拟模式裸设备映射</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="42" />
        <source>Shared or clustered disk</source>
        <translation>共享或群集磁盘</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="43" />
        <source>Independent or non-persistent disk</source>
        <translation>独立或非持久磁盘</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="44" />
        <source>Disk on vSAN</source>
        <translation>磁盘位于 vSAN 上</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="45" />
        <source>Disk larger than 64 TB</source>
        <translation>磁盘大于 64 TB</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="46" />
        <source>Disk file missing or damaged</source>
        <translation>磁盘文件缺失或已损坏</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="47" />
        <source>ARM guest on an x64 Hyper-V host</source>
        <translation>ARM 客户机无法在 x64 Hyper-V 主机上运行</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="48" />
        <source>VM is inaccessible or orphaned in vCenter</source>
        <translation>虚拟机在 vCenter 中不可访问或已孤立</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="49" />
        <source>Disk size unknown</source>
        <translation>磁盘大小未知</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="50" />
        <source>Disk too large for the VHD format</source>
        <translation>磁盘对 VHD 格式来说过大</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="51" />
        <source>Disk left out</source>
        <translation>磁盘未包含</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="52" />
        <source>Disk placement</source>
        <translation>磁盘位置</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="53" />
        <source>Disk placement not valid</source>
        <translation>磁盘位置无效</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="54" />
        <source>Generation 1 boot disk moves to IDE</source>
        <translation>第 1 代启动磁盘改接到 IDE</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="55" />
        <source>More IDE disks than Generation 1 has slots</source>
        <translation>IDE 磁盘数超过第 1 代的插槽数</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="56" />
        <source>IDE disks move to SCSI on Generation 2</source>
        <translation>第 2 代上 IDE 磁盘改接到 SCSI</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="57" />
        <source>More disks than Hyper-V can attach</source>
        <translation>磁盘数超过 Hyper-V 可连接的数量</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="58" />
        <source>Disk controllers change</source>
        <translation>磁盘控制器将改变</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="59" />
        <source>Generation 1 boot disk larger than 2 TB</source>
        <translation>第 1 代启动磁盘大于 2 TB</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="60" />
        <source>USB devices are not carried over</source>
        <translation>USB 设备不会迁移</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="61" />
        <source>Serial port</source>
        <translation>串口</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="62" />
        <source>Parallel port</source>
        <translation>并口</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="63" />
        <source>Floppy drive</source>
        <translation>软盘驱动器</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="64" />
        <source>CD/DVD drive with media</source>
        <translation>CD/DVD 驱动器中有介质</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="65" />
        <source>PCI passthrough device</source>
        <translation>PCI 直通设备</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="66" />
        <source>Virtual GPU</source>
        <translation>虚拟 GPU</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="67" />
        <source>Device not carried over</source>
        <translation>设备不会迁移</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="68" />
        <source>Legacy network adapter for an old guest</source>
        <translation>为旧客户机使用旧版网卡</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="69" />
        <source>Network adapter not connected</source>
        <translation>网卡未连接</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="70" />
        <source>Source VLAN not carried over</source>
        <translation>源 VLAN 不会迁移</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="71" />
        <source>VMware paravirtual drivers are replaced</source>
        <translation>VMware 半虚拟化驱动程序将被替换</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="72" />
        <source>Static IP addresses belong to the old adapter</source>
        <translation>静态 IP 地址属于旧网卡</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="73" />
        <source>Static MAC address kept</source>
        <translation>保留静态 MAC 地址</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="74" />
        <source>VM has snapshots</source>
        <translation>虚拟机有快照</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="75" />
        <source>Guest is hibernated or not cleanly shut down</source>
        <translation>客户机处于休眠状态或未正常关机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="76" />
        <source>VM is suspended</source>
        <translation>虚拟机已挂起</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="77" />
        <source>VM is running</source>
        <translation>虚拟机正在运行</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="78" />
        <source>Source is a template</source>
        <translation>源是一个模板</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="79" />
        <source>CPU/memory hot-add</source>
        <translation>CPU/内存热添加</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="80" />
        <source>VM name changed for file names</source>
        <translation>为文件名更改了虚拟机名称</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="81" />
        <source>Several VMs with the same name</source>
        <translation>多台虚拟机同名</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="82" />
        <source>VMware Tools to remove</source>
        <translation>需要卸载 VMware Tools</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="83" />
        <source>Guest information not available</source>
        <translation>客户机信息不可用</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/finding_titles.py" line="84" />
        <source>Invalid value in the plan</source>
        <translation>计划中的值无效</translation>
    </message>
</context>
<context>
    <name>InventoryModel</name>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="38" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="38" />
        <source>Power</source>
        <translation>电源</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="38" />
        <source>Guest OS</source>
        <translation>客户机操作系统</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="39" />
        <source>Cluster / host</source>
        <translation>群集 / 主机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="39" />
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="39" />
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="40" />
        <source>CPUs</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="40" />
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="40" />
        <source>Disks</source>
        <translation>磁盘</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="41" />
        <source>NICs</source>
        <translation>网卡</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="41" />
        <source>Snapshots</source>
        <translation>快照</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="41" />
        <source>VMware Tools</source>
        <translation>VMware Tools</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="43" />
        <source>On</source>
        <translation>开机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="43" />
        <source>Off</source>
        <translation>关机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="44" />
        <source>Suspended</source>
        <translation>已挂起</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/inventory.py" line="44" />
        <source>Unknown</source>
        <translation>未知</translation>
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
        <location filename="../../wizard/ui/pages/inventory.py" line="83" />
        <source>Select all &amp;visible</source>
        <translation>全选可见项(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/inventory.py" line="84" />
        <source>C&amp;lear selection</source>
        <translation>清除选择(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/inventory.py" line="120" />
        <source>Any cluster or host</source>
        <translation>任意群集或主机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/inventory.py" line="121" />
        <source>Any folder</source>
        <translation>任意文件夹</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/inventory.py" line="169" />
        <source>Selected: %1 of %2 VMs · %3 CPUs · %4 memory · %5 disks</source>
        <translation>已选：%1 / %2 台虚拟机 · %3 个 CPU · 内存 %4 · 磁盘 %5</translation>
    </message>
</context>
<context>
    <name>MigrationWizard</name>
    <message>
        <location filename="../../wizard/ui/window.py" line="53" />
        <source>hvmigrate %1 — move VMs to Hyper-V</source>
        <translation>hvmigrate %1 — 将虚拟机迁移到 Hyper-V</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="58" />
        <source>S&amp;ettings…</source>
        <translation>设置(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="59" />
        <source>&amp;Next &gt;</source>
        <translation>下一步(&amp;N) &gt;</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="60" />
        <source>&lt; &amp;Back</source>
        <translation>&lt; 上一步(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="61" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="62" />
        <source>&amp;Finish</source>
        <translation>完成(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="63" />
        <source>&amp;Start migration</source>
        <translation>开始迁移(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="106" />
        <source>Resume the interrupted migration?</source>
        <translation>继续被中断的迁移吗？</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="107" />
        <source>A migration to %1 did not finish: %2 of %3 VMs were migrated.</source>
        <translation>迁移到 %1 的任务没有完成：已迁移 %3 台中的 %2 台虚拟机。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="110" />
        <source>Resuming keeps every finished VM and disk; a disk that was being converted goes on from its last checkpoint.</source>
        <translation>继续时会保留所有已完成的虚拟机和磁盘；正在转换的磁盘从上一个检查点接着转换。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="112" />
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="113" />
        <source>&amp;Discard</source>
        <translation>放弃(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="114" />
        <source>&amp;Not now</source>
        <translation>以后再说(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="133" />
        <source>Connect to the source on the Source page with Remember the password ticked, then resume.</source>
        <translation>请在“源”页面勾选“记住密码”并连接到源，然后再继续。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="150" />
        <source>Opening the interrupted migration…</source>
        <translation>正在打开被中断的迁移…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="187" />
        <source>Stop the migration?</source>
        <translation>停止迁移？</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="188" />
        <source>A migration is running. Closing stops it; what is not finished is cleaned up, and the next time hvmigrate starts it offers to resume the migration where it stopped.</source>
        <translation>迁移正在进行。关闭窗口会停止迁移并清理未完成的部分；下次启动 hvmigrate 时，会提示从停止处继续迁移。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="190" />
        <source>&amp;Stop and close</source>
        <translation>停止并关闭(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="190" />
        <source>&amp;Keep running</source>
        <translation>继续运行(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="207" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="209" />
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="214" />
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/window.py" line="215" />
        <source>A new language takes effect the next time hvmigrate starts.</source>
        <translation>新语言将在下次启动 hvmigrate 时生效。</translation>
    </message>
</context>
<context>
    <name>NetworksPage</name>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="29" />
        <source>Which networks should the VMs join?</source>
        <translation>虚拟机应连接到哪些网络？</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="30" />
        <source>Pick the Hyper-V virtual switch (and VLAN, if any) for each network the VMs use now. Leave the switch empty to leave the adapter disconnected.</source>
        <translation>为虚拟机当前使用的每个网络选择 Hyper-V 虚拟交换机（如有需要，还可指定 VLAN）。交换机留空则网卡保持断开。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="33" />
        <source>Source network</source>
        <translation>源网络</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="33" />
        <source>VMs</source>
        <translation>虚拟机数</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="33" />
        <source>Virtual switch</source>
        <translation>虚拟交换机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="34" />
        <source>VLAN (0 = none)</source>
        <translation>VLAN（0 = 无）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="41" />
        <source>Keep MAC addresses that were set by hand; Hyper-V assigns the others</source>
        <translation>保留手动设置的 MAC 地址；其余由 Hyper-V 分配</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="43" />
        <source>Keep every adapter's MAC address</source>
        <translation>保留每个网卡的 MAC 地址</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="44" />
        <source>Let Hyper-V assign new MAC addresses</source>
        <translation>由 Hyper-V 分配新的 MAC 地址</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="46" />
        <source>Licences and DHCP reservations often depend on a MAC address. Addresses VMware assigned itself are in VMware's range.</source>
        <translation>许可证和 DHCP 保留常常依赖 MAC 地址。VMware 自动分配的地址属于 VMware 的地址段。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="48" />
        <source>&amp;MAC addresses:</source>
        <translation>MAC 地址(&amp;M)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="50" />
        <source>&amp;Re-apply static IP addresses inside the guests that have them</source>
        <translation>在使用静态 IP 的客户机内重新应用静态 IP 地址(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="70" />
        <source>(not connected)</source>
        <translation>（未连接）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/networks.py" line="83" />
        <source>A switch on the Hyper-V host; in a bundle it is created or matched on import.</source>
        <translation>Hyper-V 主机上的交换机；使用导入包时，会在导入时创建或匹配。</translation>
    </message>
</context>
<context>
    <name>Page</name>
    <message>
        <location filename="../../wizard/ui/pages/base.py" line="120" />
        <source>, </source>
        <comment>separator between names in a list</comment>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/base.py" line="126" />
        <source>built-in demo</source>
        <translation>内置演示</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/base.py" line="161" />
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/base.py" line="174" />
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
</context>
<context>
    <name>ProgressModel</name>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="25" />
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="25" />
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="25" />
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="26" />
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="26" />
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="27" />
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="35" />
        <source>VM</source>
        <translation>虚拟机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="35" />
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="35" />
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="35" />
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="36" />
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="36" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="29" />
        <source>Reading</source>
        <translation>读取中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="29" />
        <source>Converting</source>
        <translation>转换中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="29" />
        <source>Writing</source>
        <translation>写入中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="30" />
        <source>Verifying</source>
        <translation>校验中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="30" />
        <source>Uploading</source>
        <translation>上传中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="30" />
        <source>Creating VM</source>
        <translation>创建虚拟机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="31" />
        <source>Configuring</source>
        <translation>配置中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="31" />
        <source>Discovering</source>
        <translation>发现中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="31" />
        <source>Preparing</source>
        <translation>准备中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="32" />
        <source>Guest fix-ups</source>
        <translation>客户机修正</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="32" />
        <source>Bundling</source>
        <translation>打包中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="32" />
        <source>Converting disk</source>
        <translation>转换磁盘</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="33" />
        <source>Checking the copy</source>
        <translation>检查副本</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="33" />
        <source>Downloading</source>
        <translation>下载中</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/models/progress.py" line="43" />
        <location filename="../../wizard/ui/models/progress.py" line="47" />
        <source>Working</source>
        <translation>处理中</translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="37" />
        <source>Migrating</source>
        <translation>正在迁移</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="38" />
        <source>You can keep working while this runs. Select a VM to cancel, skip or retry it.</source>
        <translation>迁移期间您可以继续工作。选择一台虚拟机可取消、跳过或重试。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="41" />
        <source>&amp;Next &gt;</source>
        <translation>下一步(&amp;N) &gt;</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="59" />
        <source>&amp;Cancel VM</source>
        <translation>取消虚拟机(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="60" />
        <source>S&amp;kip VM</source>
        <translation>跳过虚拟机(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="61" />
        <source>&amp;Retry VM</source>
        <translation>重试虚拟机(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="62" />
        <source>Cancel &amp;all</source>
        <translation>全部取消(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="63" />
        <source>Retry &amp;failed</source>
        <translation>重试失败项(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="64" />
        <source>&amp;Why did it fail?</source>
        <translation>失败原因(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="65" />
        <source>Show the error of the selected VM: what went wrong and how to fix it</source>
        <translation>显示所选虚拟机的错误：出了什么问题以及如何解决</translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/progress.py" line="106" />
        <source>Migration of %n VM(s) started.</source>
        <translation><numerusform>已开始迁移 %n 台虚拟机。</numerusform></translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="108" />
        <source>%1: left out: %2</source>
        <translation>%1：已排除：%2</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="143" />
        <source>%1: started.</source>
        <translation>%1：已开始。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="143" />
        <source>%1: finished.</source>
        <translation>%1：已完成。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="144" />
        <source>%1: failed.</source>
        <translation>%1：失败。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="144" />
        <source>%1: cancelled.</source>
        <translation>%1：已取消。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="145" />
        <source>%1: skipped.</source>
        <translation>%1：已跳过。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="145" />
        <source>%1: queued again.</source>
        <translation>%1：已重新排队。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="158" />
        <source>ERROR</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="158" />
        <source>WARNING</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="167" />
        <source>%1 of %2 VMs finished</source>
        <translation>%2 台虚拟机中已完成 %1 台</translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/progress.py" line="171" />
        <source>%n not migrated</source>
        <translation><numerusform>%n 台未迁移</numerusform></translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="177" />
        <source>All work has stopped.</source>
        <translation>所有工作已停止。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="216" />
        <source>Cancel all VMs?</source>
        <translation>取消所有虚拟机？</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="217" />
        <source>VMs that are converting now stop and are cleaned up; VMs that are waiting are left out. VMs already migrated stay as they are.</source>
        <translation>正在转换的虚拟机将停止并被清理；等待中的虚拟机将不再迁移。已迁移的虚拟机保持不变。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="219" />
        <source>Cancel &amp;all VMs</source>
        <translation>取消所有虚拟机(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="219" />
        <source>&amp;Keep running</source>
        <translation>继续运行(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="223" />
        <source>Cancelling all VMs…</source>
        <translation>正在取消所有虚拟机…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/progress.py" line="245" />
        <source>%1 was not migrated</source>
        <translation>%1 未迁移</translation>
    </message>
</context>
<context>
    <name>SourcePage</name>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="38" />
        <source>Where are the VMs now?</source>
        <translation>虚拟机现在在哪里？</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="39" />
        <source>Connect to a vCenter or ESXi server, open VM files on this computer, or try the built-in demo.</source>
        <translation>连接到 vCenter 或 ESXi 服务器，打开本机上的虚拟机文件，或试用内置演示。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="46" />
        <source>&amp;vCenter or ESXi server</source>
        <translation>vCenter 或 ESXi 服务器(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="47" />
        <source>&amp;Local files (VMX, OVF, OVA, VirtualBox)</source>
        <translation>本地文件（VMX、OVF、OVA、VirtualBox）(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="48" />
        <source>&amp;Demo with sample VMs</source>
        <translation>示例虚拟机演示(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="55" />
        <source>&amp;Recent:</source>
        <translation>最近使用(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="58" />
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="60" />
        <source>vcenter.example.com or 10.0.0.5:443</source>
        <translation>vcenter.example.com 或 10.0.0.5:443</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="62" />
        <source>administrator@vsphere.local</source>
        <translation>administrator@vsphere.local</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="65" />
        <source>Re&amp;member the password in the system keyring</source>
        <translation>在系统密钥环中记住密码(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="67" />
        <source>&amp;Address:</source>
        <translation>地址(&amp;A)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="68" />
        <source>&amp;User:</source>
        <translation>用户(&amp;U)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="69" />
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="72" />
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="74" />
        <source>A .vmx, .ovf, .ova or .vbox file, or a folder of them</source>
        <translation>一个 .vmx、.ovf、.ova 或 .vbox 文件，或包含它们的文件夹</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="75" />
        <source>Choose &amp;file…</source>
        <translation>选择文件(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="76" />
        <source>Choose f&amp;older…</source>
        <translation>选择文件夹(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="82" />
        <source>&amp;Test connection</source>
        <translation>测试连接(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="84" />
        <source>Resume the &amp;interrupted migration…</source>
        <translation>继续被中断的迁移(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="85" />
        <source>A migration stopped before it finished; continue it where it stopped</source>
        <translation>有一个迁移在完成前停止了；可从停止处继续</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="119" />
        <source>(choose a recent source)</source>
        <translation>（选择最近使用的来源）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="129" />
        <source>Demo</source>
        <translation>演示</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="156" />
        <source>Choose a VM file</source>
        <translation>选择虚拟机文件</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="157" />
        <source>VM files (*.vmx *.ovf *.ova *.vbox);;All files (*)</source>
        <translation>虚拟机文件 (*.vmx *.ovf *.ova *.vbox);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="162" />
        <source>Choose a folder of VMs</source>
        <translation>选择虚拟机所在文件夹</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="196" />
        <source>Type the password in the Password field, then press Next.</source>
        <translation>请在“密码”框中输入密码，然后点击“下一步”。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="206" />
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="211" />
        <source>Connected to %1.</source>
        <translation>已连接到 %1。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="219" />
        <source>Connecting and reading the inventory…</source>
        <translation>正在连接并读取清单…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="225" />
        <source>Reading the inventory… %1 of %2</source>
        <translation>正在读取清单… %1 / %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../../wizard/ui/pages/source.py" line="236" />
        <source>Found %n VM(s).</source>
        <translation><numerusform>找到 %n 台虚拟机。</numerusform></translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="248" />
        <source>Unknown certificate</source>
        <translation>未知证书</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="249" />
        <source>The server %1 presented a certificate this computer does not trust.</source>
        <translation>服务器 %1 提供的证书不受此计算机信任。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="251" />
        <source>Trust it only if this SHA-256 thumbprint matches the one your administrator gave you:

%1</source>
        <translation>只有当此 SHA-256 指纹与管理员提供的一致时才信任它：

%1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="254" />
        <source>&amp;Trust and connect</source>
        <translation>信任并连接(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="255" />
        <source>&amp;Do not connect</source>
        <translation>不连接(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/source.py" line="256" />
        <source>The server's certificate is not trusted yet.</source>
        <translation>尚未信任该服务器的证书。</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="33" />
        <source>Ready to migrate</source>
        <translation>准备迁移</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="34" />
        <source>Check the plan. Save it to run it later from the command line, or start now.</source>
        <translation>请检查计划。可保存后稍后在命令行中运行，或现在开始。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="36" />
        <source>&amp;Start migration</source>
        <translation>开始迁移(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="38" />
        <source>Sa&amp;ve plan…</source>
        <translation>保存计划(&amp;V)…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="40" />
        <source>Run the guest &amp;fix-ups after creating each VM (remove VMware Tools, re-apply static IPs, bring disks online)</source>
        <translation>创建每台虚拟机后执行客户机修复（卸载 VMware Tools、重新应用静态 IP、使磁盘联机）(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="42" />
        <source>On a Hyper-V host they run inside the new guest; for a bundle they are written down as steps to follow after the import.</source>
        <translation>在 Hyper-V 主机上，修复在新的客户机内执行；对于导入包，修复会写成导入后要执行的步骤。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="60" />
        <source>Preparing the plan…</source>
        <translation>正在准备计划…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="71" />
        <source>The plan could not be built; go back to the templates page.</source>
        <translation>无法生成计划；请返回模板页面。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="87" />
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="95" />
        <source>VM</source>
        <translation>虚拟机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="95" />
        <source>Generation</source>
        <translation>代</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="95" />
        <source>CPUs</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="95" />
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="95" />
        <source>Disks</source>
        <translation>磁盘</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="96" />
        <source>Switches</source>
        <translation>交换机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="96" />
        <source>Warnings</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="97" />
        <source>From:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="97" />
        <source>To:</source>
        <translation>目标：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="102" />
        <source>Estimated space needed: %1. Estimated time: %2 (at about %3/s).</source>
        <translation>预计所需空间：%1。预计时间：%2（按约 %3/秒计算）。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="147" />
        <source>The migration cannot start</source>
        <translation>无法开始迁移</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="153" />
        <source>Resume the earlier migration?</source>
        <translation>继续之前的迁移吗？</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="154" />
        <source>An earlier migration of these VMs to this target stopped before it finished.</source>
        <translation>之前将这些虚拟机迁移到此目标的任务在完成前停止了。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="156" />
        <source>Resuming keeps the VMs and disks it finished. Starting over converts everything again.</source>
        <translation>继续会保留已完成的虚拟机和磁盘。重新开始则会重新转换全部内容。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="158" />
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="159" />
        <source>Start &amp;over</source>
        <translation>重新开始(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="160" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="107" />
        <source>Not enough free space on the target: %1 free.</source>
        <translation>目标可用空间不足：仅剩 %1。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="115" />
        <source>Save the plan</source>
        <translation>保存计划</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="116" />
        <source>Plan files (*.json)</source>
        <translation>计划文件 (*.json)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="121" />
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/summary.py" line="125" />
        <source>Plan saved to %1.</source>
        <translation>计划已保存到 %1。</translation>
    </message>
</context>
<context>
    <name>TargetPage</name>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="33" />
        <source>Where should the VMs go?</source>
        <translation>虚拟机要迁移到哪里？</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="34" />
        <source>Write an import bundle to a folder (import it on the Hyper-V host later), or connect to a Hyper-V host directly.</source>
        <translation>将导入包写入文件夹（稍后在 Hyper-V 主机上导入），或直接连接到 Hyper-V 主机。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="38" />
        <source>Offline import bundle in a &amp;folder</source>
        <translation>文件夹中的离线导入包(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="39" />
        <source>Hyper-&amp;V host (WinRM)</source>
        <translation>Hyper-V 主机（WinRM）(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="44" />
        <source>Bundle</source>
        <translation>导入包</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="46" />
        <source>An empty folder with room for the disks</source>
        <translation>一个有足够磁盘空间的空文件夹</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="47" />
        <source>Choose f&amp;older…</source>
        <translation>选择文件夹(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="52" />
        <source>Hyper-V host</source>
        <translation>Hyper-V 主机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="54" />
        <source>hyperv01.example.com</source>
        <translation>hyperv01.example.com</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="56" />
        <source>DOMAIN\admin</source>
        <translation>域\管理员</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="62" />
        <source>Re&amp;member the password in the system keyring</source>
        <translation>在系统密钥环中记住密码(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="63" />
        <source>Use &amp;HTTPS</source>
        <translation>使用 HTTPS(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="67" />
        <source>NTLM</source>
        <translation>NTLM</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="67" />
        <source>Kerberos</source>
        <translation>Kerberos</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="67" />
        <source>CredSSP</source>
        <translation>CredSSP</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="70" />
        <source>\\hyperv01\VMs (empty: the share that holds the host's disk folder)</source>
        <translation>\\hyperv01\VMs（留空：使用包含主机磁盘文件夹的共享）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="72" />
        <source>Only for a self-signed certificate: its SHA-256 thumbprint</source>
        <translation>仅用于自签名证书：其 SHA-256 指纹</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="74" />
        <source>Hos&amp;t:</source>
        <translation>主机(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="75" />
        <source>&amp;User:</source>
        <translation>用户(&amp;U)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="76" />
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="81" />
        <source>Po&amp;rt:</source>
        <translation>端口(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="85" />
        <source>Sign-in metho&amp;d:</source>
        <translation>登录方式(&amp;D)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="86" />
        <source>Disk sh&amp;are:</source>
        <translation>磁盘共享(&amp;A)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="87" />
        <source>Certificate thumbpr&amp;int:</source>
        <translation>证书指纹(&amp;I)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="89" />
        <source>&amp;Check target</source>
        <translation>检查目标(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="125" />
        <source>Choose the bundle folder</source>
        <translation>选择导入包文件夹</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="148" />
        <source>Type the password in the Password field of the Target page.</source>
        <translation>请在“目标”页面的“密码”框中输入密码。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="170" />
        <source>Checking the target…</source>
        <translation>正在检查目标…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="173" />
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="175" />
        <source>Folder %1 is usable. Free space: %2.</source>
        <translation>文件夹 %1 可用。可用空间：%2。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="176" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/target.py" line="177" />
        <source>Hyper-V %1 (%2). Virtual switches: %3. Free space: %4.</source>
        <translation>Hyper-V %1（%2）。虚拟交换机：%3。可用空间：%4。</translation>
    </message>
</context>
<context>
    <name>TemplatePage</name>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="36" />
        <source>How should the new VMs look?</source>
        <translation>新虚拟机应如何配置？</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="37" />
        <source>A template sets sensible values for each VM. Change any value for all ticked VMs or for one VM; the plan is checked as you type.</source>
        <translation>模板为每台虚拟机设置合理的值。您可以为所有勾选的虚拟机或单台虚拟机修改任意值；输入时会即时检查计划。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="44" />
        <source>Generation 2 (UEFI)</source>
        <translation>第 2 代（UEFI）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="45" />
        <source>Generation 1 (BIOS)</source>
        <translation>第 1 代（BIOS）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="52" />
        <source>D&amp;ynamic memory</source>
        <translation>动态内存(&amp;Y)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="53" />
        <source>&amp;Secure Boot</source>
        <translation>安全启动(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="56" />
        <source>VHDX, dynamically expanding</source>
        <translation>VHDX，动态扩展</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="57" />
        <source>VHDX, fixed size</source>
        <translation>VHDX，固定大小</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="59" />
        <source>Disabled</source>
        <translation>已禁用</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="59" />
        <source>Production</source>
        <translation>生产</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="60" />
        <source>Production only</source>
        <translation>仅生产</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="60" />
        <source>Standard</source>
        <translation>标准</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="63" />
        <source>Do nothing</source>
        <translation>不执行任何操作</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="63" />
        <source>Start if it was running</source>
        <translation>如果之前在运行则启动</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="64" />
        <source>Always start</source>
        <translation>始终启动</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="54" />
        <source>Virtual T&amp;PM</source>
        <translation>虚拟 TPM(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="68" />
        <source>Copy from a snapshot (removed afterwards)</source>
        <translation>从快照复制（完成后删除快照）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="69" />
        <source>Shut down first (they stay off once migrated)</source>
        <translation>先关机（迁移后保持关机）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="70" />
        <source>Copy as they are (the copy may be inconsistent)</source>
        <translation>按原样复制（副本可能不一致）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="72" />
        <source>How VMs that are running on vSphere are copied. A snapshot lets them keep serving; the copy has their state at the moment of the snapshot. Shutting down gives the final, complete state.</source>
        <translation>vSphere 上正在运行的虚拟机如何复制。使用快照时虚拟机可继续提供服务，副本为拍摄快照时的状态；先关机则得到最终的完整状态。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="74" />
        <source>Sa&amp;ve as template…</source>
        <translation>另存为模板(&amp;V)…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="79" />
        <source>&amp;Template:</source>
        <translation>模板(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="83" />
        <source>&amp;Apply changes to:</source>
        <translation>更改应用于(&amp;A)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="84" />
        <source>&amp;Running VMs:</source>
        <translation>运行中的虚拟机(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="87" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="89" />
        <source>&amp;Generation:</source>
        <translation>代(&amp;G)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="93" />
        <source>&amp;CPUs:</source>
        <translation>CPU(&amp;C)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="100" />
        <source>&amp;Memory:</source>
        <translation>内存(&amp;M)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="107" />
        <source>Security:</source>
        <translation>安全：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="108" />
        <source>&amp;Disks:</source>
        <translation>磁盘(&amp;D)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="109" />
        <source>Chec&amp;kpoints:</source>
        <translation>检查点(&amp;K)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="110" />
        <source>W&amp;hen the host starts:</source>
        <translation>主机启动时(&amp;H)：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="143" />
        <source>Automatic (by firmware and guest OS)</source>
        <translation>自动（按固件和操作系统）</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="144" />
        <source>Windows Server — Gen 2, Secure Boot</source>
        <translation>Windows Server — 第 2 代，安全启动</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="145" />
        <source>Windows 11 — Gen 2, Secure Boot, TPM</source>
        <translation>Windows 11 — 第 2 代，安全启动，TPM</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="146" />
        <source>Linux — Gen 2, UEFI CA</source>
        <translation>Linux — 第 2 代，UEFI CA</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="146" />
        <source>Legacy BIOS — Gen 1</source>
        <translation>传统 BIOS — 第 1 代</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="161" />
        <source>All ticked VMs</source>
        <translation>所有勾选的虚拟机</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="163" />
        <source>Only %1</source>
        <translation>仅 %1</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="182" />
        <source>Save as template</source>
        <translation>另存为模板</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="182" />
        <source>Template name:</source>
        <translation>模板名称：</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="194" />
        <source>Template %1 saved.</source>
        <translation>模板 %1 已保存。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="198" />
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="235" />
        <source>Checking the settings…</source>
        <translation>正在检查设置…</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="241" />
        <source>✔ The settings are valid.</source>
        <translation>✔ 设置有效。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="242" />
        <source>✘ No VM can be migrated with these settings.</source>
        <translation>✘ 按这些设置，没有可以迁移的虚拟机。</translation>
    </message>
    <message>
        <location filename="../../wizard/ui/pages/template.py" line="250" />
        <source>✘ %1</source>
        <translation>✘ %1</translation>
    </message>
</context>
</TS>